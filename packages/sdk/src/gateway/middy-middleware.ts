/**
 * Gateway middleware for middy (API Gateway REST v1 and HTTP API v2 events): verifies the request's envelope in
 * `before` and answers early (403 with the contract code, 400/413, or 503) so the handler never runs for an
 * unverified action. A verified agent is on `request.internal.kakunin` and on the handler's `context.kakunin`.
 */
import type { MiddlewareObj, Request } from '@middy/core';
import { callerOrigin } from './caller-origin.js';
import { type GatewayOptions, GatewayVerifier, type VerifiedAgent } from './verify-request.js';

interface HttpEventLike {
  body?: unknown;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined> | null;
  requestContext?: {
    identity?: { sourceIp?: string; userAgent?: string };
    http?: { sourceIp?: string; userAgent?: string };
  };
}

export interface MiddyGatewayOptions extends GatewayOptions {
  /** The action the route performs; an envelope for another action gets 403 SCOPE_VIOLATION (field `action`). */
  action?: string | ((event: HttpEventLike) => string | undefined);
}

export type KakuninContext = { kakunin?: VerifiedAgent };

const header = (event: HttpEventLike, name: string): string | undefined => {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
};

export function kakuninMiddy(options: MiddyGatewayOptions): MiddlewareObj {
  const verifier = new GatewayVerifier(options);
  const before = async (request: Request) => {
    const event = request.event as HttpEventLike;
    const body =
      typeof event.body === 'string' && event.isBase64Encoded === true
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
    const context = event.requestContext;
    const ip = context?.identity?.sourceIp ?? context?.http?.sourceIp;
    const userAgent = context?.identity?.userAgent ?? context?.http?.userAgent ?? header(event, 'user-agent');
    const outcome = await verifier.verify({
      body,
      header: header(event, verifier.headerName),
      certificateHeader: header(event, verifier.certificateHeaderName),
      origin: callerOrigin(ip, userAgent),
      expectedAction: typeof options.action === 'function' ? options.action(event) : options.action,
    });
    if (outcome.ok) {
      (request.internal as Record<string, unknown>).kakunin = outcome.agent;
      (request.context as KakuninContext).kakunin = outcome.agent;
      return undefined;
    }
    // Returning a value from `before` ends the chain early: the handler does not run.
    return {
      statusCode: outcome.status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(outcome.body),
    };
  };
  return { before };
}
