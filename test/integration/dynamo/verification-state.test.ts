/**
 * `readVerificationState` (one BatchGetItem of the certificates' and the agents' state in the single registry table,
 * and of the agents' risk scores on the monitoring table) against dynalite, and the coalescing rule: concurrent requests share reads, never answers.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoAgentStore } from '../../../src/adapters/aws/dynamo/agent-store.js';
import { DynamoBehaviorStore } from '../../../src/adapters/aws/dynamo/behavior-store.js';
import { DynamoCertificateStore } from '../../../src/adapters/aws/dynamo/certificate-store.js';
import { VerificationStateReader } from '../../../src/adapters/aws/dynamo/verification-state.js';
import { DependencyError } from '../../../src/core/errors.js';
import { concurrently, freshTenant, useEmulators } from '../support/emulators.js';
import { agentRecord, certificateRecord, fingerprintOf } from '../support/records.js';

const env = useEmulators();

async function registry() {
  const tenant = freshTenant();
  const certificates = new DynamoCertificateStore(env().doc, env().tableNames);
  const agents = new DynamoAgentStore(env().doc, env().tableNames);
  await agents.create(agentRecord(tenant, 'agent-1', { mode: 'enforce', anomalyThreshold: 0.7 }));
  const root = certificateRecord(tenant, `${tenant}-root`);
  const leaf = certificateRecord(tenant, `${tenant}-leaf`, {
    parentFingerprint: root.fingerprint,
    ancestors: [root.fingerprint],
  });
  await certificates.put(root);
  await certificates.put(leaf);
  return { tenant, certificates, agents, root, leaf };
}

describe('DynamoCertificateStore.readVerificationState against dynalite', () => {
  it('returns exactly the mutable state: certificate statuses, every agent’s status and settings', async () => {
    const { tenant, certificates, agents, root, leaf } = await registry();
    await agents.create(agentRecord(tenant, 'agent-0', { mode: 'observe', warningThreshold: 0.5 }));
    const state = await certificates.readVerificationState(tenant, {
      fingerprints: [leaf.fingerprint, root.fingerprint, fingerprintOf('unknown'), leaf.fingerprint],
      agentIds: ['agent-1', 'agent-0', 'a_unknown', 'agent-1'],
    });
    expect(state.certificates.sort((a, b) => a.fingerprint.localeCompare(b.fingerprint))).toEqual(
      [
        { tenantId: tenant, fingerprint: leaf.fingerprint, status: 'active' },
        { tenantId: tenant, fingerprint: root.fingerprint, status: 'active' },
      ].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)),
    );
    expect(state.agents.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      {
        tenantId: tenant,
        id: 'agent-0',
        status: 'active',
        mode: 'observe',
        warningThreshold: 0.5,
        anomalyThreshold: 0.85,
      },
      {
        tenantId: tenant,
        id: 'agent-1',
        status: 'active',
        mode: 'enforce',
        warningThreshold: 0.6,
        anomalyThreshold: 0.7,
      },
    ]);
  });

  it('sees a revocation and a suspension at once, and nothing of another tenant', async () => {
    const { tenant, certificates, agents, root, leaf } = await registry();
    await certificates.revoke(tenant, root.fingerprint, 'keyCompromise', 1);
    await agents.update(tenant, 'agent-1', { status: 'suspended' });
    const state = await certificates.readVerificationState(tenant, {
      fingerprints: [leaf.fingerprint, root.fingerprint],
      agentIds: ['agent-1'],
    });
    expect(state.certificates.find((c) => c.fingerprint === root.fingerprint)?.status).toBe('revoked');
    expect(state.agents.find((a) => a.id === 'agent-1')?.status).toBe('suspended');
    const elsewhere = await certificates.readVerificationState(freshTenant(), {
      fingerprints: [leaf.fingerprint],
      agentIds: ['agent-1'],
    });
    expect(elsewhere).toEqual({ certificates: [], agents: [] });
  });

  it('concurrent reads share BatchGetItems and each gets only its own keys', async () => {
    const worlds = await Promise.all(Array.from({ length: 6 }, () => registry()));
    let batchGets = 0;
    const counting = {
      send: (command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'BatchGetCommand') batchGets += 1;
        return env().doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const reader = new VerificationStateReader(counting, env().tableNames.registry);
    const states = await concurrently(30, (i) => {
      const w = worlds[i % worlds.length]!;
      return reader.read(w.tenant, { fingerprints: [w.leaf.fingerprint, w.root.fingerprint], agentIds: ['agent-1'] });
    });
    states.forEach((state, i) => {
      const w = worlds[i % worlds.length]!;
      expect(state.certificates.map((c) => c.fingerprint).sort()).toEqual(
        [w.leaf.fingerprint, w.root.fingerprint].sort(),
      );
      expect(state.certificates.every((c) => c.tenantId === w.tenant)).toBe(true);
      expect(state.agents.map((a) => a.tenantId)).toEqual([w.tenant]);
    });
    expect(batchGets).toBeLessThan(30);
    expect(batchGets).toBeGreaterThanOrEqual(1);
  });
});

describe('readVerificationState reads the agent risk in the same BatchGetItem', () => {
  it('coalesced requests of many tenants and agents each get exactly their own agents’ scores', async () => {
    const behavior = new DynamoBehaviorStore(env().doc, env().monitoringTable);
    const worlds = await Promise.all(Array.from({ length: 5 }, () => registry()));
    // Same agent id in every tenant, different scores; a second agent per tenant with a score nobody asks for.
    await Promise.all(
      worlds.flatMap((w, i) => [
        behavior.save(w.tenant, 'agent-1', 0, riskUpdate(i / 10)),
        behavior.save(w.tenant, 'agent-9', 0, riskUpdate(0.99)),
      ]),
    );
    const reader = new VerificationStateReader(env().doc, env().tableNames.registry, env().monitoringTable);
    const asked = await concurrently(25, (i) => {
      const w = worlds[i % worlds.length]!;
      const riskAgentIds = i % 2 === 0 ? ['agent-1'] : ['agent-1', 'a_without_score'];
      return reader.read(w.tenant, { fingerprints: [w.leaf.fingerprint], agentIds: ['agent-1'], riskAgentIds });
    });
    asked.forEach((state, i) => {
      const w = worlds[i % worlds.length]!;
      expect(state.risks).toEqual([{ tenantId: w.tenant, agentId: 'agent-1', score: (i % worlds.length) / 10 }]);
    });
    const notAsked = await reader.read(worlds[0]!.tenant, { fingerprints: [], agentIds: ['agent-1'] });
    expect(notAsked.risks).toBeUndefined();
  });

  it('a reader without the monitoring table refuses a request for risk (never a silent score of 0)', async () => {
    const { tenant, leaf } = await registry();
    const reader = new VerificationStateReader(env().doc, env().tableNames.registry);
    await expect(
      reader.read(tenant, { fingerprints: [leaf.fingerprint], agentIds: ['agent-1'], riskAgentIds: ['agent-1'] }),
    ).rejects.toBeInstanceOf(DependencyError);
  });
});

const riskUpdate = (score: number) => ({
  state: new Uint8Array([1]),
  risk: { score, band: 'low' as const, updatedAt: 1 },
  lastActionAt: 1_764_190_000_000,
});

/** A document client whose BatchGetItems the test answers by hand, to control what is in flight when. */
function manualClient() {
  const calls: { keys: { pk: string }[]; answer(items: Record<string, unknown>[]): void; fail(e: Error): void }[] = [];
  const doc = {
    send: (command: { input: { RequestItems: Record<string, { Keys: { pk: string }[] }> } }) =>
      new Promise((resolve, reject) => {
        const [table] = Object.keys(command.input.RequestItems);
        calls.push({
          keys: command.input.RequestItems[table!]!.Keys,
          answer: (items) => resolve({ Responses: { [table!]: items } }),
          fail: reject,
        });
      }),
  } as unknown as DynamoDBDocumentClient;
  return { doc, calls };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('VerificationStateReader coalescing never reuses an answer across time', () => {
  it('a request arriving while a read is in flight is answered by the NEXT read, issued after it arrived', async () => {
    const { doc, calls } = manualClient();
    const reader = new VerificationStateReader(doc, 'registry');
    const fp = fingerprintOf('cert');
    const first = reader.read('t', { fingerprints: [fp], agentIds: ['a'] });
    await settle();
    expect(calls).toHaveLength(1);
    const second = reader.read('t', { fingerprints: [fp], agentIds: ['a'] }); // arrives while the first read is in flight
    const third = reader.read('t', { fingerprints: [fp], agentIds: ['a'] });
    await settle();
    expect(calls).toHaveLength(1); // queued, not attached to the in-flight read
    const certItem = (status: string) => ({
      pk: calls[0]!.keys[0]!.pk,
      sk: 'CERT',
      tenantId: 't',
      fingerprint: fp,
      status,
    });
    calls[0]!.answer([certItem('active')]);
    expect((await first).certificates[0]?.status).toBe('active');
    await settle();
    expect(calls).toHaveLength(2); // one shared read for both queued requests
    // The certificate was revoked between the two reads: both queued requests must see it.
    calls[1]!.answer([certItem('revoked')]);
    expect((await second).certificates[0]?.status).toBe('revoked');
    expect((await third).certificates[0]?.status).toBe('revoked');
  });

  it('a failed read fails every request in it with a DependencyError, and the next read works', async () => {
    const { doc, calls } = manualClient();
    const reader = new VerificationStateReader(doc, 'registry');
    const first = reader.read('t', { fingerprints: [fingerprintOf('x')], agentIds: ['a'] });
    await settle();
    const queued = [
      reader.read('t', { fingerprints: [fingerprintOf('y')], agentIds: ['a'] }),
      reader.read('t', { fingerprints: [fingerprintOf('z')], agentIds: ['b'] }),
    ];
    calls[0]!.answer([]);
    await first;
    await settle();
    calls[1]!.fail(new Error('socket hang up'));
    for (const pending of queued) await expect(pending).rejects.toBeInstanceOf(DependencyError);
    const later = reader.read('t', { fingerprints: [fingerprintOf('x')], agentIds: ['a'] });
    await settle();
    calls[2]!.answer([]);
    expect(await later).toEqual({ certificates: [], agents: [] });
  });
});
