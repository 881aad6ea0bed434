/**
 * Velocity limits bind the subtree (docs/api.md §3, docs/adr/0005) on the DynamoDB stores against dynalite: many
 * parallel verifications spread over sibling sub-agents and their parent never push any certificate's counters past
 * its hour count or day volume, and refused actions leave nothing behind: every counter equals exactly what was
 * verified under it and below it.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoStores } from '../../../src/adapters/aws/dynamo/index.js';
import { DynamoVelocityStore } from '../../../src/adapters/aws/dynamo/velocity-store.js';
import { MemoryActionStream } from '../../../src/adapters/memory/memory-streams.js';
import { signedBytes } from '../../../src/core/envelope/schema.js';
import type { CertificateRecord, Scope, SignedEnvelope } from '../../../src/core/model.js';
import { ActionVerifier } from '../../../src/core/verification/action-verifier.js';
import { scopedCertificatePem } from '../../support/scoped-certificate.js';
import { concurrently, freshTenant, TestClock, useEmulators } from '../support/emulators.js';
import { agentRecord } from '../support/records.js';

const env = useEmulators();
const T0 = Date.UTC(2025, 10, 26, 10, 0, 0);
const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const publicKeyPem = pair.publicKey.export({ format: 'pem', type: 'spki' }) as string;

function record(tenantId: string, agentId: string, scope: Scope, parent?: CertificateRecord): CertificateRecord {
  return {
    tenantId,
    fingerprint: `sha256:${createHash('sha256').update(randomBytes(16)).digest('hex')}`,
    serialNumber: randomBytes(16).toString('hex'),
    agentId,
    pem: scopedCertificatePem(scope),
    publicKeyPem,
    publicKeyAlgorithm: 'ECDSA_P256',
    scope,
    notBefore: T0 - 86_400_000,
    notAfter: T0 + 86_400_000,
    ancestors: parent ? [...parent.ancestors, parent.fingerprint] : [],
    ...(parent ? { parentFingerprint: parent.fingerprint } : {}),
    status: 'active',
    createdAt: T0,
  };
}

let nonces = 0;
function envelope(certificate: CertificateRecord, amount: number, at: number): SignedEnvelope {
  nonces += 1;
  const unsigned = {
    payload: { action: 'charge', amount, currency: 'EUR' },
    certificateFingerprint: certificate.fingerprint,
    timestamp: at,
    nonce: `hier_nonce_${nonces.toString().padStart(8, '0')}`,
  };
  const signature = sign('sha256', signedBytes(unsigned), { key: pair.privateKey, dsaEncoding: 'der' });
  return { ...unsigned, signature: signature.toString('base64') };
}

/** The stored hour count (all minutes) and day volume of one certificate's counters. */
async function counters(tenantId: string, fingerprint: string): Promise<{ hour: number; day: number }> {
  const out = await env().doc.send(
    new GetCommand({
      TableName: env().tableNames.counters,
      Key: { pk: `VEL#${tenantId}#${fingerprint}`, sk: 'VELOCITY' },
      ConsistentRead: true,
    }),
  );
  const item = out.Item ?? {};
  let hour = 0;
  let day = 0;
  for (const [name, value] of Object.entries(item)) {
    if (/^m\d+$/.test(name)) hour += Number(value);
    if (/^v\d{4}-\d{2}-\d{2}$/.test(name)) day += Number(value);
  }
  return { hour, day };
}

async function tree(parentScope: Scope, childScope: Scope, children: number, depth = 1) {
  const tenant = freshTenant();
  const clock = new TestClock(T0);
  const stores = createDynamoStores(env().doc, env().tableNames, clock, { monitoringTable: env().monitoringTable });
  // A chain of `depth` certificates above the siblings, each held by its own agent under the previous one.
  const lineage: CertificateRecord[] = [];
  let parentAgent: string | undefined;
  for (let level = 0; level < depth; level += 1) {
    const agentId = `a_level${level}`;
    await stores.agents.create(
      agentRecord(tenant, agentId, parentAgent === undefined ? {} : { parentAgentId: parentAgent }),
    );
    const certificate = record(tenant, agentId, parentScope, lineage.at(-1));
    await stores.certificates.put(certificate);
    lineage.push(certificate);
    parentAgent = agentId;
  }
  const siblings: CertificateRecord[] = [];
  for (let i = 0; i < children; i += 1) {
    const agentId = `a_child${i}`;
    await stores.agents.create(agentRecord(tenant, agentId, { parentAgentId: parentAgent! }));
    const certificate = record(tenant, agentId, childScope, lineage.at(-1));
    await stores.certificates.put(certificate);
    siblings.push(certificate);
  }
  // Four verifiers (each with its own caches) over the same stores; one ledger writer per tenant, as the velocity
  // counters, not the ledger's block batching, are what this test contends on.
  const verifiers = Array.from(
    { length: 4 },
    () =>
      new ActionVerifier({
        ...stores,
        stream: new MemoryActionStream(),
        clock,
        config: {},
      }),
  );
  return { tenant, lineage, siblings, verifiers };
}

describe('hierarchical velocity budgets against dynalite', () => {
  it('parallel verifications over 4 siblings and the parent never exceed the parent’s day volume; counters = verified sums', async () => {
    const limits = { allowedActions: ['charge'], currency: 'EUR', maxDailyVolume: 1000, maxTransactionsPerHour: 500 };
    const { tenant, lineage, siblings, verifiers } = await tree(limits, limits, 4);
    const parent = lineage[0]!;
    const targets = [...siblings, parent];
    const amounts = (i: number) => 10 + ((i * 37) % 90);
    const results = await concurrently(120, async (i) => {
      const target = targets[i % targets.length]!;
      const result = await verifiers[i % verifiers.length]!.verify(tenant, envelope(target, amounts(i), T0 + i));
      return { target, amount: amounts(i), result };
    });
    const verified = results.filter((r) => r.result.verified);
    const refused = results.filter((r) => !r.result.verified);
    // The 120 × ~55 requested is far above 1000: the parent's budget, not the siblings', decides.
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => !r.result.verified && r.result.error.code === 'VELOCITY_LIMIT_EXCEEDED')).toBe(true);
    const total = verified.reduce((sum, r) => sum + r.amount, 0);
    expect(total).toBeLessThanOrEqual(1000);
    const parentCounters = await counters(tenant, parent.fingerprint);
    expect(parentCounters.day).toBe(total);
    expect(parentCounters.hour).toBe(verified.length);
    for (const sibling of siblings) {
      const own = verified.filter((r) => r.target === sibling);
      const stored = await counters(tenant, sibling.fingerprint);
      expect(stored.day).toBe(own.reduce((sum, r) => sum + r.amount, 0));
      expect(stored.hour).toBe(own.length);
    }
  });

  it('the hour count of the parent binds its siblings: exactly the parent’s limit passes, counters exact', async () => {
    const parentScope = { allowedActions: ['charge'], currency: 'EUR', maxTransactionsPerHour: 12 };
    const { tenant, lineage, siblings, verifiers } = await tree(parentScope, parentScope, 3);
    const results = await concurrently(60, (i) =>
      verifiers[i % verifiers.length]!.verify(tenant, envelope(siblings[i % siblings.length]!, 1, T0 + i * 1_000)),
    );
    const verified = results.filter((r) => r.verified).length;
    expect(verified).toBeLessThanOrEqual(12);
    // Contention may refuse a request that would have fitted (fail closed), never the other way.
    expect(verified).toBeGreaterThan(0);
    expect((await counters(tenant, lineage[0]!.fingerprint)).hour).toBe(verified);
    let siblingTotal = 0;
    for (const sibling of siblings) siblingTotal += (await counters(tenant, sibling.fingerprint)).hour;
    expect(siblingTotal).toBe(verified);
  });

  it('three levels: a refusal at the leaf releases the root and the middle (nothing spent anywhere)', async () => {
    const wide = { allowedActions: ['charge'], currency: 'EUR', maxDailyVolume: 1000, maxTransactionsPerHour: 100 };
    const narrow = { allowedActions: ['charge'], currency: 'EUR', maxDailyVolume: 50, maxTransactionsPerHour: 100 };
    const { tenant, lineage, siblings, verifiers } = await tree(wide, narrow, 1, 2);
    const leaf = siblings[0]!;
    const verifier = verifiers[0]!;
    expect((await verifier.verify(tenant, envelope(leaf, 40, T0))).verified).toBe(true);
    const refused = await verifier.verify(tenant, envelope(leaf, 20, T0 + 1));
    expect(refused).toMatchObject({ verified: false, error: { code: 'VELOCITY_LIMIT_EXCEEDED' } });
    for (const certificate of [...lineage, leaf]) {
      expect(await counters(tenant, certificate.fingerprint)).toEqual({ hour: 1, day: 40 });
    }
  });
});

describe('DynamoVelocityStore.release', () => {
  it('gives back what consume counted at every level', async () => {
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    const tenantId = freshTenant();
    const levels = [
      { fingerprint: 'sha256:root', maxDailyVolume: 100, maxTransactionsPerHour: 5 },
      { fingerprint: 'sha256:leaf', maxDailyVolume: 100, maxTransactionsPerHour: 5 },
    ];
    const request = { tenantId, at: T0, amount: 30, levels };
    expect(await store.consume(request)).toEqual({ ok: true });
    expect(await counters(tenantId, 'sha256:root')).toEqual({ hour: 1, day: 30 });
    await store.release(request);
    expect(await counters(tenantId, 'sha256:root')).toEqual({ hour: 0, day: 0 });
    expect(await counters(tenantId, 'sha256:leaf')).toEqual({ hour: 0, day: 0 });
  });

  it('names the certificate whose counter refused, and refuses an amount too large for an ancestor at once', async () => {
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    const tenantId = freshTenant();
    const levels = [
      { fingerprint: 'sha256:root', maxDailyVolume: 10 },
      { fingerprint: 'sha256:leaf', maxDailyVolume: 100 },
    ];
    expect(await store.consume({ tenantId, at: T0, amount: 30, levels })).toEqual({
      ok: false,
      limit: 'maxDailyVolume',
      fingerprint: 'sha256:root',
    });
    expect(await counters(tenantId, 'sha256:leaf')).toEqual({ hour: 0, day: 0 });
  });
});
