/**
 * Issue 8's reproductions over real HTTP against `kakunin dev` (dynalite stores), each now answered as docs/api.md §3
 * ("Delegation binds the whole tree") requires:
 * - suspension escape: a suspended agent's own key could spawn and certify a sub-agent, and its envelopes verified;
 * - velocity multiplied: four sibling sub-agents with the parent's limits spent four times the parent's day volume;
 * - looser monitoring: an enforce-mode agent's key could create an observe-mode sub-agent with threshold 1.0.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, client, str } from './api-client.js';
import { type DevProcess, newAdminKey, startDevProcess } from './dev-process.js';
import { opensslCsr, scratchDir } from './openssl.js';
import { signEnvelope } from './sign-locally.js';

const dataDir = scratchDir('kakunin-it-delegation-');
const work = scratchDir('kakunin-it-delegation-key-');
const adminKey = newAdminKey();
let dev: DevProcess;
let admin: Call;
let csr: { keyPem: string; csrPem: string };

beforeAll(async () => {
  dev = await startDevProcess({ dataDir, adminKey });
  admin = client(dev.url, adminKey);
  csr = opensslCsr(work, 'delegation');
});

afterAll(async () => {
  expect(await dev?.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** An agent created by `by` (admin or an agent key), with an agent key of its own. */
async function agent(by: Call, body: Record<string, unknown>): Promise<{ id: string; key: Call }> {
  const created = await by('POST', '/v1/agents', body);
  expect(created.status).toBe(201);
  const id = str(created.body, 'id');
  const key = await admin('POST', '/v1/api-keys', { role: 'agent', agentId: id });
  expect(key.status).toBe(201);
  return { id, key: client(dev.url, str(key.body, 'key')) };
}

async function issue(by: Call, agentId: string, body: Record<string, unknown>): Promise<string> {
  // A sub-agent certificate must end no later than its parent (docs/api.md §3, else 403). Both default to 30 days from
  // their own issuance, so on a loaded machine the child's second-precision notAfter can land a second after the
  // parent's: ask for one day less.
  const request = body.parentFingerprint === undefined ? body : { validityDays: 29, ...body };
  const issued = await by('POST', `/v1/agents/${agentId}/certificates`, request);
  expect(issued.status).toBe(201);
  return str(issued.body, 'fingerprint');
}

const pay = (amount: number) => ({ action: 'pay', amount, currency: 'EUR' });
const verify = (fingerprint: string, payload: Record<string, unknown>) =>
  admin('POST', '/v1/actions/verify', signEnvelope(csr.keyPem, fingerprint, payload));

describe('suspension escape (issue 8): a suspended agent binds its own key and its subtree', () => {
  it('refuses sign, sub-agent creation, issuance and verification below it; reactivation restores', async () => {
    const a = await agent(admin, { name: 'suspended-parent' });
    const parentCert = await issue(admin, a.id, { scope: { allowedActions: ['pay'] } });
    // A sub-agent and its certificate made while A was active: they exist before the suspension.
    const child = await agent(a.key, { name: 'child-before' });
    const childCert = await issue(a.key, child.id, {
      scope: { allowedActions: ['pay'] },
      csr: csr.csrPem,
      parentFingerprint: parentCert,
    });
    expect((await verify(childCert, { action: 'pay' })).status).toBe(200);

    expect((await admin('PATCH', `/v1/agents/${a.id}`, { status: 'suspended' })).status).toBe(200);

    const spawned = await a.key('POST', '/v1/agents', { name: 'child-after' });
    expect([spawned.status, spawned.body]).toMatchObject([403, { error: { code: 'AGENT_SUSPENDED' } }]);
    const issued = await a.key('POST', `/v1/agents/${child.id}/certificates`, {
      scope: { allowedActions: ['pay'] },
      csr: csr.csrPem,
      parentFingerprint: parentCert,
    });
    expect([issued.status, issued.body]).toMatchObject([403, { error: { code: 'AGENT_SUSPENDED' } }]);
    const signed = await a.key('POST', `/v1/agents/${a.id}/sign`, {
      payload: { action: 'pay' },
      certificateFingerprint: parentCert,
    });
    expect([signed.status, signed.body]).toMatchObject([403, { error: { code: 'AGENT_SUSPENDED' } }]);
    const below = await verify(childCert, { action: 'pay' });
    expect([below.status, below.body]).toMatchObject([403, { verified: false, error: { code: 'AGENT_SUSPENDED' } }]);

    expect((await admin('PATCH', `/v1/agents/${a.id}`, { status: 'active' })).status).toBe(200);
    expect((await verify(childCert, { action: 'pay' })).status).toBe(200);
    const signedAgain = await a.key('POST', `/v1/agents/${a.id}/sign`, {
      payload: { action: 'pay' },
      certificateFingerprint: parentCert,
    });
    expect(signedAgain.status).toBe(200);
  });
});

describe('velocity multiplied (issue 8): sibling sub-agents share their parent’s budget', () => {
  it('four siblings with the parent’s limits verify at most the parent’s day volume and hour count', async () => {
    const limits = { allowedActions: ['pay'], maxDailyVolume: 1000, maxTransactionsPerHour: 10 };
    const a = await agent(admin, { name: 'budget-parent' });
    const parentCert = await issue(admin, a.id, { scope: limits, csr: csr.csrPem });
    const siblings: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const child = await agent(a.key, { name: `budget-child-${i}` });
      siblings.push(await issue(a.key, child.id, { scope: limits, csr: csr.csrPem, parentFingerprint: parentCert }));
    }
    // Each sibling tries its "own" 1000 (5 × 250 = 5,000 in all), in parallel across siblings.
    const attempts = await Promise.all(
      siblings.map(async (fingerprint) => {
        const outcomes: number[] = [];
        for (let i = 0; i < 5; i += 1) outcomes.push((await verify(fingerprint, pay(250))).status === 200 ? 250 : 0);
        return outcomes;
      }),
    );
    const verifiedVolume = attempts.flat().reduce((sum, amount) => sum + amount, 0);
    expect(verifiedVolume).toBeLessThanOrEqual(1000);
    expect(verifiedVolume).toBeGreaterThan(0);
    const verifiedCount = attempts.flat().filter((amount) => amount > 0).length;
    // The parent's hour count binds too: 10 in all, whoever spends them.
    const extra: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      extra.push((await verify(siblings[i % siblings.length]!, pay(0))).status);
    }
    expect(extra.filter((status) => status === 200).length).toBeLessThanOrEqual(10 - verifiedCount);
    const refused = await verify(parentCert, pay(0));
    expect(refused.body).toMatchObject({ verified: false, error: { code: 'VELOCITY_LIMIT_EXCEEDED' } });
  });
});

describe('looser monitoring (issue 8): a sub-agent is watched at least as strictly as its parent', () => {
  it('refuses an observe-mode sub-agent with anomalyThreshold 1.0 under an enforce-mode agent', async () => {
    const a = await agent(admin, { name: 'strict-parent', mode: 'enforce', anomalyThreshold: 0.8 });
    const loose = await a.key('POST', '/v1/agents', { name: 'loose-child', mode: 'observe', anomalyThreshold: 1 });
    expect([loose.status, loose.body]).toMatchObject([403, { error: { code: 'SCOPE_EXCEEDS_PARENT', field: 'mode' } }]);
    const looseThreshold = await a.key('POST', '/v1/agents', { name: 'loose-child', anomalyThreshold: 1 });
    expect(looseThreshold.body).toMatchObject({ error: { code: 'SCOPE_EXCEEDS_PARENT', field: 'anomalyThreshold' } });
    const child = await agent(a.key, { name: 'strict-child' });
    const patched = await admin('PATCH', `/v1/agents/${child.id}`, { mode: 'observe' });
    expect([patched.status, patched.body]).toMatchObject([403, { error: { code: 'SCOPE_EXCEEDS_PARENT' } }]);
  });
});
