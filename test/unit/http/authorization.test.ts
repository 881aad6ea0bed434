import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from './harness.js';

type Role = 'admin' | 'verifier' | 'agent' | 'none';

/**
 * Each role × each protected route → expected status. The agent key is bound to `parent`; `child` is its sub-agent,
 * `stranger` an unrelated agent of the same tenant. Bodies are valid, so the status shows the authorization decision.
 */
describe('role matrix, tenant isolation', () => {
  let api: TestApi;
  const keys: Partial<Record<Role, string>> = {};
  let parent: string;
  let child: string;
  let stranger: string;
  let parentCert: string;
  let strangerCert: string;
  let otherTenantAdmin: string;

  const scope = { allowedActions: ['charge'], maxTransactionSize: 100 };

  beforeAll(async () => {
    api = await createTestApi();
    keys.admin = await api.key('t1', 'admin');
    keys.verifier = await api.key('t1', 'verifier');
    otherTenantAdmin = await api.key('t2', 'admin');
    const create = async (name: string) =>
      (await api.call({ method: 'POST', path: '/v1/agents', key: keys.admin, body: { name } })).json.id as string;
    parent = await create('parent');
    stranger = await create('stranger');
    const issue = async (agentId: string) =>
      (await api.call({ method: 'POST', path: `/v1/agents/${agentId}/certificates`, key: keys.admin, body: { scope } }))
        .json.fingerprint as string;
    parentCert = await issue(parent);
    strangerCert = await issue(stranger);
    keys.agent = await api.key('t1', 'agent', parent);
    const spawned = await api.call({ method: 'POST', path: '/v1/agents', key: keys.agent, body: { name: 'child' } });
    expect(spawned.status).toBe(201);
    expect(spawned.json.parentAgentId).toBe(parent);
    child = spawned.json.id;
  });

  const payload = { action: 'charge', amount: 1 };
  const cases: Array<[string, () => { method: string; path: string; body?: unknown }, Record<Role, number>]> = [
    [
      'create api key',
      () => ({ method: 'POST', path: '/v1/api-keys', body: { role: 'verifier' } }),
      { admin: 201, verifier: 403, agent: 403, none: 401 },
    ],
    [
      'create agent',
      () => ({ method: 'POST', path: '/v1/agents', body: { name: 'x' } }),
      { admin: 201, verifier: 403, agent: 201, none: 401 },
    ],
    [
      'list agents',
      () => ({ method: 'GET', path: '/v1/agents' }),
      { admin: 200, verifier: 403, agent: 403, none: 401 },
    ],
    [
      'get own agent',
      () => ({ method: 'GET', path: `/v1/agents/${parent}` }),
      { admin: 200, verifier: 403, agent: 403, none: 401 },
    ],
    [
      'get sub-agent',
      () => ({ method: 'GET', path: `/v1/agents/${child}` }),
      { admin: 200, verifier: 403, agent: 403, none: 401 },
    ],
    [
      'get unrelated agent',
      () => ({ method: 'GET', path: `/v1/agents/${stranger}` }),
      { admin: 200, verifier: 403, agent: 403, none: 401 },
    ],
    [
      'patch agent',
      () => ({ method: 'PATCH', path: `/v1/agents/${stranger}`, body: { mode: 'observe' } }),
      { admin: 200, verifier: 403, agent: 403, none: 401 },
    ],
    [
      'issue for sub-agent under own cert',
      () => ({
        method: 'POST',
        path: `/v1/agents/${child}/certificates`,
        body: { scope, parentFingerprint: parentCert },
      }),
      { admin: 201, verifier: 403, agent: 201, none: 401 },
    ],
    [
      'issue for sub-agent under foreign cert',
      () => ({
        method: 'POST',
        path: `/v1/agents/${child}/certificates`,
        body: { scope, parentFingerprint: strangerCert },
      }),
      { admin: 201, verifier: 403, agent: 403, none: 401 },
    ],
    [
      'issue for sub-agent without parent',
      () => ({ method: 'POST', path: `/v1/agents/${child}/certificates`, body: { scope } }),
      { admin: 201, verifier: 403, agent: 403, none: 401 },
    ],
    [
      'issue for itself',
      () => ({ method: 'POST', path: `/v1/agents/${parent}/certificates`, body: { scope } }),
      { admin: 201, verifier: 403, agent: 403, none: 401 },
    ],
    [
      'sign as itself',
      () => ({
        method: 'POST',
        path: `/v1/agents/${parent}/sign`,
        body: { payload, certificateFingerprint: parentCert },
      }),
      { admin: 200, verifier: 403, agent: 200, none: 401 },
    ],
    [
      'sign as another',
      () => ({
        method: 'POST',
        path: `/v1/agents/${stranger}/sign`,
        body: { payload, certificateFingerprint: strangerCert },
      }),
      { admin: 200, verifier: 403, agent: 403, none: 401 },
    ],
    [
      'certificate state',
      () => ({ method: 'GET', path: `/v1/certificates/${strangerCert}` }),
      { admin: 200, verifier: 200, agent: 200, none: 401 },
    ],
    [
      'verify',
      () => ({ method: 'POST', path: '/v1/actions/verify', body: { payload } }),
      { admin: 400, verifier: 400, agent: 400, none: 401 },
    ],
    [
      'revoke',
      () => ({
        method: 'POST',
        path: `/v1/certificates/${'0'.repeat(0)}sha256:${'a'.repeat(64)}/revoke`,
        body: { reason: 'unspecified' },
      }),
      { admin: 404, verifier: 403, agent: 403, none: 401 },
    ],
  ];

  for (const role of ['admin', 'verifier', 'agent', 'none'] as const) {
    it.each(cases)(`${role}: %s`, async (_name, request, expected) => {
      const response = await api.call({ ...request(), ...(role === 'none' ? {} : { key: keys[role] }) });
      expect(response.status).toBe(expected[role]);
      if (response.status >= 400) expect(response.json.error.code).toBeTypeOf('string');
      if (response.status === 403 && role !== 'admin') expect(response.json.error.code).toBe('FORBIDDEN');
    });
  }

  it('answers 401 for unknown, malformed and non-Bearer keys', async () => {
    for (const headers of [
      { Authorization: 'Bearer kk_unknownunknownunknownunknownunknownunknown1' },
      { Authorization: `Basic ${keys.admin}` },
      { Authorization: 'Bearer' },
      { Authorization: '' },
    ]) {
      expect((await api.call({ method: 'GET', path: '/v1/agents', headers })).status).toBe(401);
    }
  });

  it('answers 401 from the handler itself when no principal reached it (fail closed behind a misconfigured API)', async () => {
    const { buildEvent, toResponse } = await import('./harness.js');
    const { syntheticLambdaContext } = await import('../../../src/http/lambda-context.js');
    const result = await api.handlers.agents(
      buildEvent({ method: 'GET', path: '/v1/agents' }),
      syntheticLambdaContext('t', 'r'),
    );
    expect(toResponse(result).json.error.code).toBe('UNAUTHENTICATED');
  });

  it("isolates tenants: another tenant's agents and certificates are not found", async () => {
    const key = otherTenantAdmin;
    for (const request of [
      { method: 'GET', path: `/v1/agents/${parent}` },
      { method: 'PATCH', path: `/v1/agents/${parent}`, body: { mode: 'enforce' } },
      { method: 'POST', path: `/v1/agents/${parent}/certificates`, body: { scope } },
      { method: 'POST', path: `/v1/agents/${parent}/sign`, body: { payload, certificateFingerprint: parentCert } },
      { method: 'GET', path: `/v1/certificates/${parentCert}` },
      { method: 'POST', path: `/v1/certificates/${parentCert}/revoke`, body: { reason: 'unspecified' } },
    ]) {
      const response = await api.call({ ...request, key });
      expect(response.status, request.path).toBe(404);
      expect(response.json.error.code).toBe('NOT_FOUND');
    }
    const list = await api.call({ method: 'GET', path: '/v1/agents', key });
    expect(list.json.items).toEqual([]);
    const state = await api.call({ method: 'GET', path: `/v1/certificates/${parentCert}`, key: keys.admin });
    expect(state.json.valid).toBe(true);
  });

  it('refuses an agent key for a missing agent, and a verifier key bound to an agent', async () => {
    const missing = await api.call({
      method: 'POST',
      path: '/v1/api-keys',
      key: keys.admin,
      body: { role: 'agent', agentId: 'a_00000000000000000000' },
    });
    expect(missing.status).toBe(404);
    const unbound = await api.call({ method: 'POST', path: '/v1/api-keys', key: keys.admin, body: { role: 'agent' } });
    expect(unbound.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'agentId' });
    const bound = await api.call({
      method: 'POST',
      path: '/v1/api-keys',
      key: keys.admin,
      body: { role: 'verifier', agentId: parent },
    });
    expect(bound.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'agentId' });
    const created = await api.call({
      method: 'POST',
      path: '/v1/api-keys',
      key: keys.admin,
      body: { role: 'agent', agentId: parent },
    });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^kk_[A-Za-z0-9_-]{43}$/);
    // Contract §1 gives an agent key no right to read agent records, not even its own: the role gate answers 403.
    const read = await api.call({ method: 'GET', path: `/v1/agents/${parent}`, key: created.json.key });
    expect(read.status).toBe(403);
    expect(read.json.error.code).toBe('FORBIDDEN');
    const signed = await api.call({
      method: 'POST',
      path: `/v1/agents/${parent}/sign`,
      key: created.json.key,
      body: { payload: { action: 'charge' }, certificateFingerprint: parentCert },
    });
    expect(signed.status).toBe(200);
  });
});
