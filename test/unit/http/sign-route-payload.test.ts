/**
 * Issue 9: `POST /v1/agents/{id}/sign` used to answer 200 for a payload the verifier refuses, signing something else:
 * `{"action":"x","__proto__":{"amount":5}}` came back signed as `{"action":"x"}` (the body schema's copy turned the
 * own `__proto__` key into a prototype). The sign route now applies the verifier's payload rule to the payload as sent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApiWithAgent, type TestApi } from './harness.js';

describe('the sign route refuses what the verifier refuses', () => {
  let api: TestApi;
  let admin: string;
  let agentId: string;
  let fingerprint: string;

  beforeAll(async () => {
    ({ api, admin, agentId } = await createTestApiWithAgent('signer'));
    const issued = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/certificates`,
      key: admin,
      body: { scope: {} },
    });
    expect(issued.status).toBe(201);
    fingerprint = issued.json.fingerprint;
  });

  const envelopeText = (payload: string) =>
    `{"payload":${payload},"certificateFingerprint":"${fingerprint}","timestamp":1768478400000,"nonce":"abcdefghijklmnop","signature":"AAAA"}`;

  it.each([
    ['{"action":"x","__proto__":{"amount":5}}', 'payload.__proto__'],
    ['{"action":"x","deep":{"a":[{"__proto__":1}]}}', 'payload.deep.a[0].__proto__'],
    ['{"action":"x","amount":1e-200,"currency":"EUR"}', 'payload.amount'],
    ['{"action":"x","amount":"5"}', 'payload.amount'],
    ['{"action":"x","s":"\\ud800"}', 'payload.s'],
    ['{"action":1}', 'payload.action'],
    ['[1]', 'payload'],
    ['"x"', 'payload'],
    [`${'{"a":'.repeat(31)}{"action":"x"}${'}'.repeat(31)}`, 'payload'],
  ])('sign and verify both answer 400 for %s', async (payload, field) => {
    const sign = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/sign`,
      key: admin,
      body: `{"payload":${payload},"certificateFingerprint":"${fingerprint}"}`,
    });
    expect(sign.status, sign.text).toBe(400);
    expect(sign.json.error.code).toBe('INVALID_REQUEST');
    const verify = await api.call({
      method: 'POST',
      path: '/v1/actions/verify',
      key: admin,
      body: envelopeText(payload),
    });
    expect(verify.status, verify.text).toBe(400);
    expect(verify.json.error.code).toBe('INVALID_REQUEST');
    if (!payload.startsWith('{"a":')) {
      expect(sign.json.error.field).toBe(field);
      expect(verify.json.error.field).toBe(field);
    }
  });

  it('refuses a missing payload naming it', async () => {
    const sign = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/sign`,
      key: admin,
      body: { certificateFingerprint: fingerprint },
    });
    expect(sign.status).toBe(400);
    expect(sign.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'payload' });
  });

  it('signs exactly the payload sent, and the verifier accepts it', async () => {
    const payload = { action: 'x', nested: { list: [1, 'two', null, true] }, amount: 12.5, currency: 'EUR' };
    const sign = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/sign`,
      key: admin,
      body: { payload, certificateFingerprint: fingerprint },
    });
    expect(sign.status).toBe(200);
    expect(sign.json.payload).toEqual(payload);
    const verify = await api.call({ method: 'POST', path: '/v1/actions/verify', key: admin, body: sign.json });
    expect(verify.status).toBe(200);
  });
});
