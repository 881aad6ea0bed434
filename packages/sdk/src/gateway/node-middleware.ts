/**
 * Gateway middleware for plain Node `(req, res, next)`: Express, Connect, and Fastify through `@fastify/middie`. A
 * request whose envelope does not verify is answered (403 with the contract code, 400/413 for a bad envelope, 503
 * when it cannot be checked) before the next handler runs; a verified one carries `req.kakunin`.
 *
 * The body must already be parsed (`express.json()`; with Fastify register middie with `hook: 'preHandler'`, so
 * `req.body` is set) or the envelope must come in the `Kakunin-Envelope` header. The caller's IP is `req.ip` as the
 * framework computed it (its trust-proxy setting decides whether X-Forwarded-For counts), else the socket's address.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { callerOrigin } from './caller-origin.js';
import { type GatewayOptions, GatewayVerifier, type VerifiedAgent } from './verify-request.js';

export interface NodeGatewayOptions extends GatewayOptions {
  /** The action the route performs; an envelope for another action gets 403 SCOPE_VIOLATION (field `action`). */
  action?: string | ((req: IncomingMessage) => string | undefined);
}

export type KakuninRequest = IncomingMessage & { body?: unknown; ip?: string; kakunin?: VerifiedAgent };

type Next = (error?: unknown) => void;

export function kakuninGateway(
  options: NodeGatewayOptions,
): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const verifier = new GatewayVerifier(options);
  return (req, res, next) => {
    const request = req as KakuninRequest;
    const expectedAction = typeof options.action === 'function' ? options.action(req) : options.action;
    verifier
      .verify({
        body: request.body,
        header: req.headers[verifier.headerName],
        certificateHeader: req.headers[verifier.certificateHeaderName],
        origin: callerOrigin(request.ip ?? req.socket?.remoteAddress, req.headers['user-agent']),
        expectedAction,
      })
      .then((outcome) => {
        if (outcome.ok) {
          request.kakunin = outcome.agent;
          next();
          return;
        }
        res.statusCode = outcome.status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(outcome.body));
      })
      .catch(next);
  };
}
