/**
 * Issue 9 over real HTTP against `kakunin dev` (dynalite counters): amounts and limits whose exact running sum the
 * DynamoDB counters cannot hold used to answer 503 with the nonce burned and nothing audited. Now the edge refuses
 * them with 400 INVALID_REQUEST naming the field, before anything is written, and amounts on the grid add exactly.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, client, str } from './api-client.js';
import { type DevProcess, newAdminKey, startDevProcess } from './dev-process.js';
import { opensslCsr, scratchDir } from './openssl.js';
import { signEnvelope } from './sign-locally.js';

const dataDir = scratchDir('kakunin-it-amounts-');
const work = scratchDir('kakunin-it-amounts-key-');
const adminKey = newAdminKey();
let dev: DevProcess;
let admin: Call;
let agentId: string;
let keyPem: string;
let csrPem: string;

beforeAll(async () => {
  dev = await startDevProcess({ dataDir, adminKey });
  admin = client(dev.url, adminKey);
  const created = await admin('POST', '/v1/agents', { name: 'amounts' });
  agentId = str(created.body, 'id');
  ({ keyPem, csrPem } = opensslCsr(work, 'amounts'));
});

afterAll(async () => {
  expect(await dev?.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

async function certificate(scope: Record<string, unknown>): Promise<string> {
  const issued = await admin('POST', `/v1/agents/${agentId}/certificates`, { scope, csr: csrPem });
  expect(issued.status).toBe(201);
  return str(issued.body, 'fingerprint');
}

describe('amount bounds over HTTP (dynalite counters)', () => {
  it.each([
    [{ maxDailyVolume: 1e30 }, 'scope.maxDailyVolume'],
    [{ maxDailyVolume: 1e200 }, 'scope.maxDailyVolume'],
    [{ maxDailyVolume: 1e-200 }, 'scope.maxDailyVolume'],
    [{ maxTransactionSize: 1e200 }, 'scope.maxTransactionSize'],
    [{ maxTransactionSize: 5e-324 }, 'scope.maxTransactionSize'],
  ])('refuses issuance with %j: 400 naming %s', async (scope, field) => {
    const refused = await admin('POST', `/v1/agents/${agentId}/certificates`, { scope, csr: csrPem });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'INVALID_REQUEST', field } });
  });

  it.each([1e-200, 5e-324, 1e150])(
    'refuses amount %s under a day limit of 1 with 400 payload.amount, burning no nonce',
    async (amount) => {
      const fingerprint = await certificate({ maxDailyVolume: 1 });
      const envelope = signEnvelope(keyPem, fingerprint, { action: 'pay', amount, currency: 'EUR' });
      const refused = await admin('POST', '/v1/actions/verify', envelope);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: 'INVALID_REQUEST', field: 'payload.amount' } });
      // The nonce was not burned: the same nonce with an amount on the grid verifies.
      const fine = signEnvelope(keyPem, fingerprint, { action: 'pay', amount: 0.5, currency: 'EUR' }, envelope.nonce);
      const ok = await admin('POST', '/v1/actions/verify', fine);
      expect(ok.status).toBe(200);
    },
  );

  it('adds amounts like 0.123456789 exactly under the largest day limit on the grid', async () => {
    const fingerprint = await certificate({ maxDailyVolume: 99_999_999_999_999_980_000 });
    for (let i = 0; i < 3; i += 1) {
      const envelope = signEnvelope(keyPem, fingerprint, { action: 'pay', amount: 0.123456789, currency: 'EUR' });
      const answer = await admin('POST', '/v1/actions/verify', envelope);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ verified: true });
    }
    const tooMuch = signEnvelope(keyPem, fingerprint, {
      action: 'pay',
      amount: 99_999_999_999_999_980_000,
      currency: 'EUR',
    });
    const refused = await admin('POST', '/v1/actions/verify', tooMuch);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ verified: false, error: { code: 'VELOCITY_LIMIT_EXCEEDED' } });
  });
});
