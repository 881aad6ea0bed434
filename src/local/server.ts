/**
 * The local API server: node:http on 127.0.0.1 → API Gateway proxy event → the same Lambda handlers as deployed.
 * It does only what API Gateway does in front of them: body size cap, route matching, the authorizer call, and
 * writing the proxy result back. Nothing a handler raises reaches the client except as a contract answer.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { syntheticLambdaContext } from '../http/lambda-context.js';
import type { Principal } from '../http/principal.js';
import { type IncomingRequestParts, toApiGatewayEvent } from './api-gateway-event.js';
import { contractError, errorResult, writeResult } from './contract-response.js';
import { MAX_BODY_BYTES, readBody } from './request-body.js';
import { type LocalRoute, matchRoute } from './route-match.js';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface LocalApi {
  routes: readonly LocalRoute[];
  /** The handler of a route group; undefined makes every route of the group answer 404. */
  handlerFor(group: string): ProxyHandler | undefined;
  /** Throws KakuninError UNAUTHENTICATED for a missing, unknown or unusable key. */
  authenticate(authorizationHeader: string | undefined): Promise<Principal>;
}

export interface LocalServerOptions {
  port: number;
  /** Defaults to 127.0.0.1; local mode never listens on every interface. */
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** One line per request (method, path, status, ms): never headers, bodies or keys. */
  log?: (line: string) => void;
  now?: () => number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startLocalServer(api: LocalApi, options: LocalServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const server = createServer((request, response) => {
    void serve(api, request, response, now, options.log);
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await listen(server, options.port, host);
  const port = (server.address() as AddressInfo).port;
  return { url: `http://${host === '::1' ? '[::1]' : host}:${port}`, port, close: () => closeServer(server) };
}

async function serve(
  api: LocalApi,
  request: IncomingMessage,
  response: ServerResponse,
  now: () => number,
  log: ((line: string) => void) | undefined,
): Promise<void> {
  const receivedAt = now();
  const requestId = randomUUID();
  const method = request.method ?? 'GET';
  const url = parseUrl(request.url);
  let result: APIGatewayProxyResult;
  try {
    result = await answer(api, request, method, url, requestId, receivedAt);
  } catch (error) {
    // Anything a handler throws is a bug or a dependency failure: fail closed with 503, details only in the log.
    log?.(`${method} ${url?.pathname ?? '?'} handler failure (${error instanceof Error ? error.name : 'unknown'})`);
    result = errorResult(error);
  }
  if (result.statusCode === 413) response.setHeader('connection', 'close');
  if (!response.destroyed) writeResult(response, result, requestId);
  log?.(`${method} ${url?.pathname ?? '?'} ${result.statusCode} ${now() - receivedAt}ms`);
}

async function answer(
  api: LocalApi,
  request: IncomingMessage,
  method: string,
  url: URL | undefined,
  requestId: string,
  receivedAt: number,
): Promise<APIGatewayProxyResult> {
  const match = url === undefined ? undefined : matchRoute(api.routes, method, url.pathname);
  const handler = match === undefined ? undefined : api.handlerFor(match.route.group);
  const body = await readBody(request, MAX_BODY_BYTES);
  if (body.kind === 'too-large') return contractError('PAYLOAD_TOO_LARGE', 'request body exceeds 64 KiB');
  if (body.kind === 'aborted') return contractError('INVALID_REQUEST', 'request body aborted');
  if (match === undefined || handler === undefined || url === undefined) {
    return contractError('NOT_FOUND', 'route not found');
  }
  let principal: Principal | undefined;
  if (!match.route.isPublic) {
    try {
      principal = await api.authenticate(request.headers.authorization);
    } catch (error) {
      return errorResult(error);
    }
    // The role gate and every finer rule are the handler's (the one authorization policy), as deployed.
  }
  const parts: IncomingRequestParts = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body: body.body,
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    requestId,
    receivedAt,
  };
  const event = toApiGatewayEvent(parts, match, principal);
  // A 30 s budget like the deployed functions, counted from the request's arrival.
  return handler(event, syntheticLambdaContext(`kakunin-local-${match.route.group}`, requestId, 30_000, receivedAt));
}

/** Origin-form only: `//host/x` must not turn into a different host, so the target is appended, not resolved. */
function parseUrl(raw: string | undefined): URL | undefined {
  if (raw === undefined || !raw.startsWith('/')) return undefined;
  try {
    return new URL(`http://127.0.0.1${raw}`);
  } catch {
    return undefined;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Requests in flight get a moment to finish; then every connection goes, so shutdown never hangs.
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}
