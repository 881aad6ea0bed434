/**
 * Review findings on request validation (contract §1–§2): every bad input is a 400 INVALID_REQUEST naming its field,
 * and none reaches a store in a form the store would refuse (which would answer 503, a 5xx, for a bad input).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApiWithAgent, type TestApi } from './harness.js';

describe('request validation edge cases', () => {
  let api: TestApi;
  let admin: string;
  let agentId: string;

  beforeAll(async () => {
    ({ api, admin, agentId } = await createTestApiWithAgent('edge'));
  });

  it('refuses a malformed agentId in POST /v1/api-keys with 400 before any store lookup', async () => {
    const lookups: string[] = [];
    const get = api.ctx.agents.get.bind(api.ctx.agents);
    api.ctx.agents.get = async (tenantId, id) => {
      lookups.push(id);
      return get(tenantId, id);
    };
    try {
      for (const bad of ['x'.repeat(5_000), 'a_SHORT', `a_${'0'.repeat(65)}`, '']) {
        const answer = await api.call({
          method: 'POST',
          path: '/v1/api-keys',
          key: admin,
          body: { role: 'agent', agentId: bad },
        });
        expect(answer.status, bad.slice(0, 20)).toBe(400);
        expect(answer.json).toEqual({
          error: { code: 'INVALID_REQUEST', message: expect.any(String), field: 'agentId' },
        });
      }
      expect(lookups).toEqual([]);
      const ok = await api.call({ method: 'POST', path: '/v1/api-keys', key: admin, body: { role: 'agent', agentId } });
      expect(ok.status).toBe(201);
      expect(lookups).toEqual([agentId]);
    } finally {
      api.ctx.agents.get = get;
    }
  });

  it('names an unknown field in `field`, also inside nested objects', async () => {
    const top = await api.call({ method: 'PATCH', path: `/v1/agents/${agentId}`, key: admin, body: { name: 'z' } });
    expect(top.status).toBe(400);
    expect(top.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'name' });
    const nested = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/certificates`,
      key: admin,
      body: { scope: { maxTxSize: 10 } },
    });
    expect(nested.status).toBe(400);
    expect(nested.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'scope.maxTxSize' });
    const created = await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'ok', colour: 1 } });
    expect(created.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'colour' });
  });

  it('refuses a metadata key __proto__ instead of silently dropping it', async () => {
    const body = '{"name":"proto","metadata":{"team":"x","__proto__":{"polluted":true}}}';
    const created = await api.call({ method: 'POST', path: '/v1/agents', key: admin, body });
    expect(created.status).toBe(400);
    expect(created.json.error.code).toBe('INVALID_REQUEST');
    expect(created.json.error.field).toMatch(/^metadata/);
    const patched = await api.call({
      method: 'PATCH',
      path: `/v1/agents/${agentId}`,
      key: admin,
      body: '{"metadata":{"__proto__":{"polluted":true}}}',
    });
    expect(patched.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers 404 for signing with an unknown, another tenant's or another agent's certificate", async () => {
    const issued = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/certificates`,
      key: admin,
      body: { scope: {} },
    });
    expect(issued.status).toBe(201);
    const otherAdmin = await api.key('t2', 'admin');
    const otherAgent = (await api.call({ method: 'POST', path: '/v1/agents', key: otherAdmin, body: { name: 'o' } }))
      .json.id;
    const sibling = (await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'sib' } })).json.id;
    const attempts: Array<[string, string, string]> = [
      ['unknown', `/v1/agents/${agentId}/sign`, `sha256:${'0'.repeat(64)}`],
      ["another tenant's", `/v1/agents/${otherAgent}/sign`, issued.json.fingerprint],
      ["another agent's", `/v1/agents/${sibling}/sign`, issued.json.fingerprint],
    ];
    for (const [name, path, certificateFingerprint] of attempts) {
      const key = path.includes(otherAgent) ? otherAdmin : admin;
      const answer = await api.call({
        method: 'POST',
        path,
        key,
        body: { payload: { action: 'charge' }, certificateFingerprint },
      });
      expect(answer.status, name).toBe(404);
      expect(answer.json, name).toEqual({
        error: { code: 'NOT_FOUND', message: 'no such certificate for this agent', field: 'certificateFingerprint' },
      });
    }
  });

  it('holds the contract limits at their edges: metadata 4 KiB of UTF-8 JSON, thresholds 0..1, validity ranges', async () => {
    const create = (body: object) => api.call({ method: 'POST', path: '/v1/agents', key: admin, body });
    // {"x":"…"} is 8 bytes of JSON around the value; é is 2 bytes in UTF-8, so bytes (not characters) are counted.
    expect((await create({ name: 'm1', metadata: { x: 'a'.repeat(4_088) } })).status).toBe(201);
    expect((await create({ name: 'm2', metadata: { x: 'é'.repeat(2_044) } })).status).toBe(201);
    const over = await create({ name: 'm3', metadata: { x: 'é'.repeat(2_045) } });
    expect(over.status).toBe(400);
    expect(over.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'metadata' });
    const edges = await create({ name: 't', warningThreshold: 0, anomalyThreshold: 1 });
    expect(edges.json).toMatchObject({ warningThreshold: 0, anomalyThreshold: 1 });
    for (const [field, value] of [
      ['warningThreshold', -0.01],
      ['anomalyThreshold', 1.01],
    ] as const) {
      const refused = await create({ name: 't', [field]: value });
      expect(refused.json.error, field).toMatchObject({ code: 'INVALID_REQUEST', field });
    }
    const issue = (body: object) =>
      api.call({
        method: 'POST',
        path: `/v1/agents/${agentId}/certificates`,
        key: admin,
        body: { scope: {}, ...body },
      });
    expect((await issue({ validityHours: 8_760 })).status).toBe(201);
    expect((await issue({ validityDays: 365 })).status).toBe(201);
    const defaulted = await issue({});
    expect(Date.parse(defaulted.json.notAfter) - Date.parse(defaulted.json.notBefore)).toBe(30 * 86_400_000);
    for (const [field, value] of [
      ['validityHours', 8_761],
      ['validityHours', 0],
      ['validityDays', 0],
      ['validityDays', 1.5],
    ] as const) {
      const refused = await issue({ [field]: value });
      expect(refused.status, `${field}=${value}`).toBe(400);
      expect(refused.json.error, `${field}=${value}`).toMatchObject({ code: 'INVALID_REQUEST', field });
    }
  });

  it('refuses duplicate JSON keys instead of letting the last one win', async () => {
    // JSON.parse keeps the last `amount`; a downstream parser keeping the first would move a different sum.
    const body =
      '{"payload":{"action":"charge","amount":1000000,"amount":1},"certificateFingerprint":"sha256:' +
      '0'.repeat(64) +
      '","timestamp":1,"nonce":"abcdefghijklmnop","signature":"AAAA"}';
    const verify = await api.call({ method: 'POST', path: '/v1/actions/verify', key: admin, body });
    expect(verify.status).toBe(400);
    expect(verify.json).toEqual({
      error: { code: 'INVALID_REQUEST', message: 'duplicate JSON object key', field: 'payload.amount' },
    });
    const agent = await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: '{"name":"a","name":"b"}' });
    expect(agent.status).toBe(400);
    expect(agent.json.error.field).toBe('name');
  });

  it('counts scope list items in characters (code points), as the certificate does', async () => {
    const issue = (item: string) =>
      api.call({
        method: 'POST',
        path: `/v1/agents/${agentId}/certificates`,
        key: admin,
        body: { scope: { allowedActions: [item] } },
      });
    expect((await issue('😀'.repeat(128))).status).toBe(201);
    const tooLong = await issue('😀'.repeat(129));
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error.field).toBe('scope.allowedActions.0');
  });
});
