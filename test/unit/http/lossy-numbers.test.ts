/**
 * Contract §4 (docs/api.md): a number whose text is not exactly the double it denotes is refused, so the value the
 * signature and the scope check see can never differ from the text a downstream system reads. On the old edge, an
 * envelope signed over `amount: 100` also verified when its text said `100.00000000000000001` (JSON.parse rounds).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApiWithAgent, type TestApi } from './harness.js';

describe('lossy numbers', () => {
  let api: TestApi;
  let admin: string;
  let agentId: string;
  let fingerprint: string;

  beforeAll(async () => {
    ({ api, admin, agentId } = await createTestApiWithAgent('numbers'));
    const issued = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/certificates`,
      key: admin,
      body: { scope: { maxTransactionSize: 10_000 } },
    });
    expect(issued.status).toBe(201);
    fingerprint = issued.json.fingerprint;
  });

  /** A service-signed envelope as JSON text whose `amount` is written as `spelling` instead of its signed value. */
  async function respelled(amount: number, spelling: string): Promise<string> {
    const signed = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/sign`,
      key: admin,
      body: { payload: { action: 'charge', amount, currency: 'EUR' }, certificateFingerprint: fingerprint },
    });
    expect(signed.status).toBe(200);
    const text = JSON.stringify(signed.json);
    const original = `"amount":${JSON.stringify(amount)}`;
    expect(text).toContain(original);
    return text.replace(original, `"amount":${spelling}`);
  }

  it.each([
    [100, '100.00000000000000001'],
    [0, '1e-400'],
    [0, '0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001e-300'],
    [1, '1.0000000000000000000000001'],
  ])('refuses an envelope signed over %s whose text says %s', async (amount, spelling) => {
    const answer = await api.call({
      method: 'POST',
      path: '/v1/actions/verify',
      key: admin,
      body: await respelled(amount, spelling),
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'payload.amount' });
  });

  it.each(['9900.0', '9.9e3', '9900', '990000e-2', '0.99E4'])(
    'accepts %s, which denotes 9900 exactly',
    async (text) => {
      const answer = await api.call({
        method: 'POST',
        path: '/v1/actions/verify',
        key: admin,
        body: await respelled(9900, text),
      });
      expect(answer.status).toBe(200);
      expect(answer.json.verified).toBe(true);
    },
  );

  it('refuses 1e400 anywhere in the envelope and at the sign route', async () => {
    const verify = await api.call({
      method: 'POST',
      path: '/v1/actions/verify',
      key: admin,
      body: `{"payload":{"action":"a","nested":[1,{"x":1e400}]},"certificateFingerprint":"${fingerprint}","timestamp":1,"nonce":"abcdefghijklmnop","signature":"AAAA"}`,
    });
    expect(verify.status).toBe(400);
    expect(verify.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'payload.nested[1].x' });
    const sign = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/sign`,
      key: admin,
      body: `{"payload":{"action":"charge","amount":100.00000000000000001},"certificateFingerprint":"${fingerprint}"}`,
    });
    expect(sign.status).toBe(400);
    expect(sign.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'payload.amount' });
    const timestamp = await api.call({
      method: 'POST',
      path: '/v1/actions/verify',
      key: admin,
      body: `{"payload":{"action":"a"},"certificateFingerprint":"${fingerprint}","timestamp":1764190000000.0000001,"nonce":"abcdefghijklmnop","signature":"AAAA"}`,
    });
    expect(timestamp.status).toBe(400);
    expect(timestamp.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'timestamp' });
  });
});
