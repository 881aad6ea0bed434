import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../functions/routes.js';
import { syntheticLambdaContext } from '../../../src/http/lambda-context.js';
import {
  buildEvent,
  createTestApi,
  createTestApiWithAgent,
  type TestApi,
  type TestResponse,
  toResponse,
} from './harness.js';

/**
 * 503 is not among them: every port here is a healthy in-memory fake, so a 503 could only come from an input the
 * handlers failed to validate (contract §1: no input ever yields a 5xx; 503 is for dependency failures only).
 */
const ERROR_STATUSES = new Set([400, 401, 403, 404, 413]);

/** Every answer is a contract success or a well-formed contract error: never a 5xx, never a stack trace. */
function expectContractAnswer(response: TestResponse): void {
  expect(response.text).not.toMatch(/\n\s+at /);
  if (response.status === 200 || response.status === 201) return;
  expect(ERROR_STATUSES.has(response.status), `status ${response.status}: ${response.text}`).toBe(true);
  expect(response.headers['content-type'] ?? 'application/json').toMatch(/^application\/json/);
  const error = response.json?.error;
  expect(typeof error?.code).toBe('string');
  expect(typeof error?.message).toBe('string');
  if (error.field !== undefined) expect(typeof error.field).toBe('string');
}

const deepJson = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('fuzzing the handlers', () => {
  let api: TestApi;
  let admin: string;
  let agentId: string;
  let fingerprint: string;

  beforeAll(async () => {
    api = await createTestApi();
    admin = await api.key('t1', 'admin');
    agentId = (await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'fuzzed' } })).json.id;
    fingerprint = (
      await api.call({ method: 'POST', path: `/v1/agents/${agentId}/certificates`, key: admin, body: { scope: {} } })
    ).json.fingerprint;
  });

  const bodies = () =>
    fc.oneof(
      fc.jsonValue(),
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('', '{', 'null', '[]', '{"name":', '\u0000', '{"__proto__":{"x":1}}', deepJson(5000)),
      fc.constant('x'.repeat(70_000)),
      fc.record(
        {
          name: fc.oneof(fc.string(), fc.integer()),
          scope: fc.oneof(fc.jsonValue(), fc.record({ allowedActions: fc.array(fc.string()) })),
          payload: fc.oneof(fc.jsonValue(), fc.record({ action: fc.string(), amount: fc.double() })),
          certificateFingerprint: fc.oneof(fc.string(), fc.constant(`sha256:${'0'.repeat(64)}`)),
          reason: fc.string(),
          role: fc.constantFrom('admin', 'verifier', 'agent', 'root'),
        },
        { requiredKeys: [] },
      ),
    );

  const paths = () =>
    fc.oneof(
      fc.constantFrom(...routes.map((route) => route.path)),
      fc
        .array(
          fc.oneof(
            fc.constantFrom('v1', 'agents', 'certificates', 'sign', 'revoke', 'crl', '%', '%E0%A4%A', '..', ''),
            fc.string(),
          ),
          { maxLength: 5 },
        )
        .map((segments) => `/${segments.join('/')}`),
      fc.string(),
    );

  const methods = () =>
    fc.oneof(fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'get'), fc.string());

  it('answers random requests through the gateway with contract answers only', async () => {
    await fc.assert(
      fc.asyncProperty(
        methods(),
        paths(),
        bodies(),
        fc.boolean(),
        fc.dictionary(fc.string(), fc.string()),
        async (method, rawPath, body, authed, headers) => {
          const path = rawPath.replace('{id}', agentId).replace('{fingerprint}', fingerprint);
          const response = await api.call({ method, path, body, headers, ...(authed ? { key: admin } : {}) });
          expectContractAnswer(response);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('answers hostile events sent straight to every group handler (no gateway in front)', async () => {
    const context = syntheticLambdaContext('fuzz', 'r');
    const principals = fc.option(
      fc.record(
        {
          tenantId: fc.constantFrom('t1', 't2', ''),
          role: fc.constantFrom('admin', 'verifier', 'agent', 'x'),
          keyId: fc.string(),
          agentId: fc.option(fc.constantFrom(agentId, 'a_nope'), { nil: undefined }),
        },
        { requiredKeys: ['tenantId', 'role', 'keyId'] },
      ),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('public', 'agents', 'certificates', 'verify') as fc.Arbitrary<keyof TestApi['handlers']>,
        methods(),
        paths(),
        bodies(),
        principals,
        fc.boolean(),
        async (group, method, rawPath, body, principal, base64) => {
          const event = buildEvent({
            method,
            path: rawPath.replace('{id}', agentId).replace('{fingerprint}', fingerprint),
            body,
          });
          // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed authorizer context.
          event.requestContext.authorizer = (principal ?? null) as any;
          if (base64 && event.body !== null) {
            event.body = Buffer.from(event.body).toString('base64');
            event.isBase64Encoded = true;
          }
          expectContractAnswer(toResponse(await api.handlers[group](event, context)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives events with missing fields entirely', async () => {
    const context = syntheticLambdaContext('fuzz', 'r');
    for (const handler of Object.values(api.handlers)) {
      // biome-ignore lint/suspicious/noExplicitAny: a broken event on purpose.
      expectContractAnswer(toResponse(await handler({} as any, context)));
    }
  });
});

describe('bad inputs get 400 INVALID_REQUEST with the field', () => {
  let api: TestApi;
  let admin: string;
  let agentId: string;
  beforeAll(async () => {
    ({ api, admin, agentId } = await createTestApiWithAgent('bad-inputs'));
  });

  const cases: Array<[string, string, string, unknown, string | undefined]> = [
    ['malformed JSON', 'POST', '/v1/agents', '{"name":', undefined],
    ['missing name', 'POST', '/v1/agents', {}, 'name'],
    ['name with a space', 'POST', '/v1/agents', { name: 'a b' }, 'name'],
    ['name too long', 'POST', '/v1/agents', { name: 'a'.repeat(129) }, 'name'],
    ['unknown mode', 'POST', '/v1/agents', { name: 'a', mode: 'panic' }, 'mode'],
    ['threshold above 1', 'POST', '/v1/agents', { name: 'a', anomalyThreshold: 1.5 }, 'anomalyThreshold'],
    ['metadata not an object', 'POST', '/v1/agents', { name: 'a', metadata: [1] }, 'metadata'],
    ['metadata over 4 KiB', 'POST', '/v1/agents', { name: 'a', metadata: { x: 'y'.repeat(4100) } }, 'metadata'],
    ['unknown field', 'POST', '/v1/agents', { name: 'a', colour: 'red' }, 'colour'],
    ['unknown role', 'POST', '/v1/api-keys', { role: 'root' }, 'role'],
    ['empty patch', 'PATCH', '/v1/agents/{id}', {}, undefined],
    ['unknown status', 'PATCH', '/v1/agents/{id}', { status: 'deleted' }, 'status'],
    ['missing scope', 'POST', '/v1/agents/{id}/certificates', {}, 'scope'],
    [
      'scope typo',
      'POST',
      '/v1/agents/{id}/certificates',
      { scope: { maxTransactionAmount: 5 } },
      'scope.maxTransactionAmount',
    ],
    [
      'negative limit',
      'POST',
      '/v1/agents/{id}/certificates',
      { scope: { maxTransactionSize: -1 } },
      'scope.maxTransactionSize',
    ],
    ['lower-case currency', 'POST', '/v1/agents/{id}/certificates', { scope: { currency: 'eur' } }, 'scope.currency'],
    [
      'both validities',
      'POST',
      '/v1/agents/{id}/certificates',
      { scope: {}, validityDays: 1, validityHours: 1 },
      'validityHours',
    ],
    ['validity too long', 'POST', '/v1/agents/{id}/certificates', { scope: {}, validityDays: 366 }, 'validityDays'],
    ['unknown keySpec', 'POST', '/v1/agents/{id}/certificates', { scope: {}, keySpec: 'ED25519' }, 'keySpec'],
    [
      'sign without action',
      'POST',
      '/v1/agents/{id}/sign',
      { payload: {}, certificateFingerprint: `sha256:${'0'.repeat(64)}` },
      'payload.action',
    ],
    [
      'unknown revocation reason',
      'POST',
      `/v1/certificates/sha256:${'0'.repeat(64)}/revoke`,
      { reason: 'boredom' },
      'reason',
    ],
    ['verify non-object', 'POST', '/v1/actions/verify', '[1,2]', undefined],
    ['deeply nested JSON', 'POST', '/v1/actions/verify', deepJson(100), undefined],
    ['list limit 0', 'GET', '/v1/agents', undefined, 'limit'],
  ];

  it.each(cases)('%s', async (_name, method, rawPath, body, field) => {
    const path = rawPath.replace('{id}', agentId);
    const response = await api.call({
      method,
      path,
      key: admin,
      body,
      ...(rawPath === '/v1/agents' && method === 'GET' ? { query: { limit: '0' } } : {}),
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('INVALID_REQUEST');
    // `undefined`: no single field applies (e.g. malformed JSON), so the answer must not name one.
    expect(response.json.error.field).toBe(field);
  });

  it('answers 413 for bodies over 64 KiB, also when base64-encoded', async () => {
    const big = JSON.stringify({ name: 'a', metadata: { x: 'y'.repeat(70_000) } });
    expect((await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: big })).status).toBe(413);
    const response = await api.call({ method: 'POST', path: '/v1/actions/verify', key: admin, body: big });
    expect(response.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 404 for unknown routes, unknown methods and malformed ids', async () => {
    for (const [method, path] of [
      ['GET', '/v2/agents'],
      ['DELETE', `/v1/agents/${agentId}`],
      ['GET', '/v1/agents/not-an-id'],
      ['GET', '/v1/certificates/sha1:abc'],
    ] as const) {
      const response = await api.call({ method, path, key: admin });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.json.error.code).toBe('NOT_FOUND');
    }
    const direct = await api.handlers.agents(
      buildEvent({ method: 'GET', path: '/v1/crl' }),
      syntheticLambdaContext('a', 'b'),
    );
    expect(direct.statusCode).toBe(404);
  });

  it('answers 503 UNAVAILABLE with a generic message when a dependency fails', async () => {
    api.ports.ledger.failNextAppend = true;
    const response = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/certificates`,
      key: admin,
      body: { scope: {} },
    });
    expect(response.status).toBe(503);
    expect(response.json).toEqual({
      error: { code: 'UNAVAILABLE', message: 'a dependency is unavailable; the request had no effect' },
    });
  });

  it('answers 503 when the application context cannot be built (misconfigured environment)', async () => {
    const { createAgentsHandler } = await import('../../../functions/agents.js');
    const broken = createAgentsHandler(async () => {
      throw new Error('KAKUNIN_REGISTRY_TABLE missing');
    });
    const { principalFromEvent } = await import('../../../src/http/principal.js');
    const event = buildEvent({ method: 'GET', path: '/v1/agents' }, { tenantId: 't1', role: 'admin', keyId: 'k' });
    expect(principalFromEvent(event)).toBeDefined();
    const response = toResponse(await broken(event, syntheticLambdaContext('a', 'b')));
    expect(response.status).toBe(503);
    expect(response.text).not.toContain('KAKUNIN_REGISTRY_TABLE');
  });
});
