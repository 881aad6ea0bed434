/**
 * Delegation binds the whole tree at verification (docs/api.md §3): a suspended ancestor agent refuses, the scope is
 * the certificate's own, velocity is consumed along the whole certificate chain (and given back when the action is not
 * verified after all), and the risk step uses the strictest monitoring settings along the agent's chain.
 */
import { describe, expect, it, vi } from 'vitest';
import { DependencyError } from '../../../../src/core/errors.js';
import type { CertificateRecord } from '../../../../src/core/model.js';
import { NOW, TENANT, World } from './world.js';

const outcome = async (world: World, envelope: ReturnType<World['envelope']>) => {
  const result = await world.verifier.verify(TENANT, envelope);
  return result.verified ? true : result.error.code;
};

/** root agent → parent agent → child agent, each with a certificate under the one above. */
async function tree(world: World, scope = {}) {
  const rootAgent = await world.agent();
  const parentAgent = await world.agent({ parentAgentId: rootAgent.id });
  const childAgent = await world.agent({ parentAgentId: parentAgent.id });
  const root = await world.certificate({ agentId: rootAgent.id, scope });
  const parent = await world.certificate({ agentId: parentAgent.id, scope, parent: root });
  const child = await world.certificate({ agentId: childAgent.id, scope, parent });
  return { rootAgent, parentAgent, childAgent, root, parent, child };
}

describe('suspension of any ancestor agent', () => {
  it('refuses with AGENT_SUSPENDED when an agent up the parentAgentId chain is suspended; reactivating restores', async () => {
    const world = new World();
    const { rootAgent, child } = await tree(world);
    expect(await outcome(world, world.envelope(child))).toBe(true);
    await world.agents.update(TENANT, rootAgent.id, { status: 'suspended' });
    const refused = await world.verifier.verify(TENANT, world.envelope(child));
    expect(refused.verified === false && refused.error).toMatchObject({
      code: 'AGENT_SUSPENDED',
      message: expect.stringContaining(rootAgent.id),
    });
    expect(world.entries().at(-1)).toMatchObject({ type: 'action.rejected', errorCode: 'AGENT_SUSPENDED' });
    await world.agents.update(TENANT, rootAgent.id, { status: 'active' });
    expect(await outcome(world, world.envelope(child))).toBe(true);
  });

  it('refuses when the agent of an ancestor certificate is suspended, even outside the parentAgentId chain', async () => {
    const world = new World();
    const delegator = await world.agent();
    const unrelated = await world.agent();
    const above = await world.certificate({ agentId: delegator.id });
    const below = await world.certificate({ agentId: unrelated.id, parent: above });
    await world.agents.update(TENANT, delegator.id, { status: 'suspended' });
    expect(await outcome(world, world.envelope(below))).toBe('AGENT_SUSPENDED');
  });

  it('refuses when an ancestor agent no longer exists (fail closed), and never caches the broken chain', async () => {
    const world = new World();
    const child = await world.agent({ parentAgentId: 'a_vanished00000000000' });
    const certificate = await world.certificate({ agentId: child.id });
    expect(await outcome(world, world.envelope(certificate))).toBe('AGENT_SUSPENDED');
    await world.agent({ id: 'a_vanished00000000000' });
    expect(await outcome(world, world.envelope(certificate))).toBe(true);
  });
});

describe('scope from the certificate itself', () => {
  it('judges by the certificate’s extension when the stored copy is wider', async () => {
    const world = new World();
    const certificate = await world.certificate({
      scope: { allowedActions: ['charge'], maxTransactionSize: 10 },
      storedScope: { allowedActions: ['charge', 'refund'], maxTransactionSize: 1_000_000 },
    });
    expect(await outcome(world, world.envelope(certificate, { payload: { action: 'refund' } }))).toBe(
      'SCOPE_VIOLATION',
    );
    const big = { action: 'charge', amount: 500, currency: 'EUR' };
    expect(await outcome(world, world.envelope(certificate, { payload: big }))).toBe('SCOPE_VIOLATION');
  });

  it('judges by the certificate’s extension when the stored copy is narrower', async () => {
    const world = new World();
    const certificate = await world.certificate({
      scope: { allowedActions: ['charge', 'refund'] },
      storedScope: { allowedActions: [] },
    });
    expect(await outcome(world, world.envelope(certificate, { payload: { action: 'refund' } }))).toBe(true);
  });

  it('takes velocity limits from the certificate, not the stored copy', async () => {
    const world = new World();
    const certificate = await world.certificate({
      scope: { maxTransactionsPerHour: 1 },
      storedScope: { maxTransactionsPerHour: 100 },
    });
    expect(await outcome(world, world.envelope(certificate))).toBe(true);
    expect(await outcome(world, world.envelope(certificate))).toBe('VELOCITY_LIMIT_EXCEEDED');
  });

  it('a record whose certificate carries no readable scope cannot be judged: 503, nothing verified', async () => {
    const world = new World();
    const certificate = await world.certificate({
      pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    });
    await expect(world.verifier.verify(TENANT, world.envelope(certificate))).rejects.toBeInstanceOf(DependencyError);
    expect(world.entries()).toEqual([]);
  });
});

describe('velocity along the certificate chain', () => {
  it('siblings share their parent’s day volume; refused actions spend nothing anywhere', async () => {
    const world = new World();
    const parentAgent = await world.agent();
    const limits = { maxDailyVolume: 100 };
    const parent = await world.certificate({ agentId: parentAgent.id, scope: limits });
    const siblings: CertificateRecord[] = [];
    for (let i = 0; i < 4; i += 1) {
      const agent = await world.agent({ parentAgentId: parentAgent.id });
      siblings.push(await world.certificate({ agentId: agent.id, scope: limits, parent }));
    }
    const pay = (amount: number) => ({ action: 'charge', amount, currency: 'EUR' });
    const results: (string | true)[] = [];
    for (const sibling of siblings) results.push(await outcome(world, world.envelope(sibling, { payload: pay(40) })));
    expect(results).toEqual([true, true, 'VELOCITY_LIMIT_EXCEEDED', 'VELOCITY_LIMIT_EXCEEDED']);
    expect(world.velocity.dayVolume(TENANT, parent.fingerprint, NOW)).toBe(80);
    expect(world.velocity.dayVolume(TENANT, siblings[2]!.fingerprint, NOW)).toBe(0);
    const refused = await world.verifier.verify(TENANT, world.envelope(siblings[3]!, { payload: pay(21) }));
    expect(refused.verified === false && refused.error.message).toContain(parent.fingerprint);
    expect(await outcome(world, world.envelope(siblings[3]!, { payload: pay(20) }))).toBe(true);
    expect(world.velocity.dayVolume(TENANT, parent.fingerprint, NOW)).toBe(100);
  });

  it('a risk refusal after velocity gives the consumption back at every level', async () => {
    const world = new World();
    const { childAgent, root, child } = await tree(world, { maxTransactionsPerHour: 5, maxDailyVolume: 100 });
    await world.agents.update(TENANT, childAgent.id, { mode: 'enforce', anomalyThreshold: 0.5 });
    world.risk.set(TENANT, childAgent.id, { score: 0.9, band: 'critical', updatedAt: NOW });
    const payload = { action: 'charge', amount: 30, currency: 'EUR' };
    expect(await outcome(world, world.envelope(child, { payload }))).toBe('RISK_THRESHOLD_EXCEEDED');
    for (const certificate of [root, child]) {
      expect(world.velocity.dayVolume(TENANT, certificate.fingerprint, NOW)).toBe(0);
      expect(world.velocity.hourCount(TENANT, certificate.fingerprint, NOW)).toBe(0);
    }
  });

  it('a ledger failure after velocity gives the consumption back (503, nothing spent)', async () => {
    const world = new World();
    const { root, child } = await tree(world, { maxDailyVolume: 100 });
    world.ledger.failNextAppend = true;
    const payload = { action: 'charge', amount: 30, currency: 'EUR' };
    await expect(world.verifier.verify(TENANT, world.envelope(child, { payload }))).rejects.toBeInstanceOf(
      DependencyError,
    );
    expect(world.velocity.dayVolume(TENANT, root.fingerprint, NOW)).toBe(0);
    expect(world.velocity.dayVolume(TENANT, child.fingerprint, NOW)).toBe(0);
  });

  it('a failing release does not turn the refusal into an error (the over-count only refuses more)', async () => {
    const world = new World();
    const { childAgent, child } = await tree(world, { maxDailyVolume: 100 });
    await world.agents.update(TENANT, childAgent.id, { mode: 'enforce', anomalyThreshold: 0.5 });
    world.risk.set(TENANT, childAgent.id, { score: 0.9, band: 'critical', updatedAt: NOW });
    vi.spyOn(world.velocity, 'release').mockRejectedValue(new Error('throttled'));
    const payload = { action: 'charge', amount: 30, currency: 'EUR' };
    expect(await outcome(world, world.envelope(child, { payload }))).toBe('RISK_THRESHOLD_EXCEEDED');
  });
});

describe('effective monitoring settings at the risk step', () => {
  it('an observe-mode sub-agent under an enforcing ancestor is refused on the ancestor’s threshold', async () => {
    const world = new World();
    const { rootAgent, childAgent, child } = await tree(world);
    world.risk.set(TENANT, childAgent.id, { score: 0.5, band: 'medium', updatedAt: NOW });
    expect(await outcome(world, world.envelope(child))).toBe(true);
    // The parent made stricter later: the subtree is at least as strict at once, its records untouched.
    await world.agents.update(TENANT, rootAgent.id, { mode: 'enforce', anomalyThreshold: 0.4 });
    expect(await outcome(world, world.envelope(child))).toBe('RISK_THRESHOLD_EXCEEDED');
    await world.agents.update(TENANT, rootAgent.id, { anomalyThreshold: 0.6 });
    expect(await outcome(world, world.envelope(child))).toBe(true);
  });
});
