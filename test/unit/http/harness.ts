/**
 * Test harness: the real handlers over in-memory ports (real CA and verifier through assembleContext), invoked with
 * API Gateway REST proxy events the way API Gateway would: the route table decides which group handler runs, and for
 * protected routes the authorizer runs first (a missing/unknown key answers 401 as the gateway response does).
 */

import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createAgentsHandler } from '../../../functions/agents.js';
import { createAuditHandler } from '../../../functions/audit.js';
import { authenticate } from '../../../functions/authorizer.js';
import { createCertificatesHandler } from '../../../functions/certificates.js';
import { createPublicHandler } from '../../../functions/public.js';
import { type RouteGroup, routes } from '../../../functions/routes.js';
import { createVerifyHandler } from '../../../functions/verify.js';
import { MemoryKeyVault } from '../../../src/adapters/memory/memory-key-vault.js';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { memoryPorts } from '../../../src/adapters/memory/memory-ports.js';
import {
  MemoryActionStream,
  MemoryEventPublisher,
  MemoryRiskReader,
} from '../../../src/adapters/memory/memory-streams.js';
import { createApiKey } from '../../../src/app/api-keys.js';
import { assembleContext } from '../../../src/app/assemble.js';
import type { AppConfig } from '../../../src/app/config.js';
import type { AppContext, ContextProvider, Ports } from '../../../src/app/context.js';
import type { ApiKeyRole } from '../../../src/core/model.js';
import type { ApiHandler } from '../../../src/http/api-handler.js';
import { syntheticLambdaContext } from '../../../src/http/lambda-context.js';
import { logger } from '../../../src/http/observability.js';
import { authorizerContextOf, type Principal } from '../../../src/http/principal.js';
import { matchRoute } from '../../../src/http/router.js';

// Request logs are asserted in logging.test.ts; elsewhere they would only bury test output.
logger.setLogLevel('WARN');

export const START = Date.UTC(2026, 0, 15, 12, 0, 0);

export interface TestApi {
  ctx: AppContext;
  ports: Ports & {
    events: MemoryEventPublisher;
    ledger: MemoryLedger;
    stream: MemoryActionStream;
    vault: MemoryKeyVault;
    risk: MemoryRiskReader;
  };
  clock: { now(): number; set(ms: number): void };
  handlers: Record<RouteGroup, ApiHandler>;
  call(request: TestRequest): Promise<TestResponse>;
  /** Stores a new key of `role` in `tenantId` and returns the secret. */
  key(tenantId: string, role: ApiKeyRole, agentId?: string): Promise<string>;
}

export interface TestRequest {
  method: string;
  path: string;
  key?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  isBase64Encoded: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies dynamically.
  json: any;
}

export const testConfig = (overrides: Partial<AppConfig> = {}): AppConfig => ({
  tables: { registry: 'registry', nonces: 'nonces', counters: 'counters', ledger: 'ledger' },
  actionStream: 'actions',
  eventBus: 'bus',
  publicBaseUrl: 'http://127.0.0.1:8787',
  timestampWindowMs: 300_000,
  ...overrides,
});

export function buildEvent(request: TestRequest, principal?: Principal): APIGatewayProxyEvent {
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (request.key !== undefined) headers.Authorization = `Bearer ${request.key}`;
  const body =
    request.body === undefined ? null : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  return {
    body,
    headers,
    multiValueHeaders: {},
    httpMethod: request.method,
    isBase64Encoded: false,
    path: request.path,
    pathParameters: null,
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    resource: request.path,
    requestContext: {
      // biome-ignore lint/suspicious/noExplicitAny: API Gateway's authorizer context is untyped.
      authorizer: (principal === undefined ? null : authorizerContextOf(principal)) as any,
      accountId: '123456789012',
      apiId: 'test',
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: {} as APIGatewayProxyEvent['requestContext']['identity'],
      path: request.path,
      stage: 'test',
      requestId: 'req-1',
      requestTimeEpoch: 0,
      resourceId: 'r',
      resourcePath: request.path,
    },
  };
}

export function toResponse(result: APIGatewayProxyResult): TestResponse {
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  let json: unknown;
  try {
    json = JSON.parse(result.body);
  } catch {
    json = undefined;
  }
  return {
    status: result.statusCode,
    headers,
    text: result.body,
    isBase64Encoded: result.isBase64Encoded === true,
    json,
  };
}

/** What the API's gateway responses (UNAUTHORIZED, MISSING_AUTHENTICATION_TOKEN) must answer when deployed. */
const gatewayError = (statusCode: number, code: string, message: string): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: { code, message } }),
});
const GATEWAY_401 = gatewayError(401, 'UNAUTHENTICATED', 'a valid API key is required');
const GATEWAY_404 = gatewayError(404, 'NOT_FOUND', 'no such route');

export async function createTestApi(config: AppConfig = testConfig()): Promise<TestApi> {
  let now = START;
  const clock = { now: () => now, set: (ms: number) => (now = ms) };
  const ports = memoryPorts({ clock });
  const ctx = assembleContext(ports, config);
  const provider: ContextProvider = async () => ctx;
  const handlers: Record<RouteGroup, ApiHandler> = {
    public: createPublicHandler(provider),
    agents: createAgentsHandler(provider),
    certificates: createCertificatesHandler(provider),
    verify: createVerifyHandler(provider),
    audit: createAuditHandler(provider),
  };
  const lambdaContext = syntheticLambdaContext('test', 'req-1');

  const call = async (request: TestRequest): Promise<TestResponse> => {
    const match = matchRoute(routes, request.method, request.path);
    if (!match) return toResponse(GATEWAY_404);
    let principal: Principal | undefined;
    if (!match.route.public) {
      const header = Object.entries({
        ...(request.headers ?? {}),
        ...(request.key === undefined ? {} : { authorization: `Bearer ${request.key}` }),
      }).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
      try {
        principal = await authenticate(ctx, header);
      } catch {
        return toResponse(GATEWAY_401);
      }
    }
    return toResponse(await handlers[match.route.group](buildEvent(request, principal), lambdaContext));
  };

  const key = async (tenantId: string, role: ApiKeyRole, agentId?: string) =>
    (await createApiKey(ctx, { tenantId, role, by: 'test', ...(agentId === undefined ? {} : { agentId }) })).key;

  return { ctx, ports, clock, handlers, call, key };
}

/** A fresh API with an admin key of tenant `t1` and one agent named `agentName` (the setup most suites share). */
export async function createTestApiWithAgent(
  agentName: string,
): Promise<{ api: TestApi; admin: string; agentId: string }> {
  const api = await createTestApi();
  const admin = await api.key('t1', 'admin');
  const created = await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: agentName } });
  if (created.status !== 201) throw new Error(`test setup: agent creation answered ${created.status}`);
  return { api, admin, agentId: created.json.id as string };
}
