/**
 * The ActionVerifier on the DynamoDB stores against dynalite: the hot path's round trips, and that caching the
 * immutable certificate facts never hides a revocation (own, parent, grandparent) or a suspension.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoBehaviorStore } from '../../../src/adapters/aws/dynamo/behavior-store.js';
import { createDynamoStores } from '../../../src/adapters/aws/dynamo/index.js';
import { MemoryActionStream } from '../../../src/adapters/memory/memory-streams.js';
import { signedBytes } from '../../../src/core/envelope/schema.js';
import { DependencyError } from '../../../src/core/errors.js';
import type { CertificateRecord, SignedEnvelope } from '../../../src/core/model.js';
import { ActionVerifier } from '../../../src/core/verification/action-verifier.js';
import { scopedCertificatePem } from '../../support/scoped-certificate.js';
import { concurrently, freshTenant, TestClock, useEmulators } from '../support/emulators.js';
import { agentRecord } from '../support/records.js';

const env = useEmulators();
const T0 = 1_764_190_000_000;
const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const publicKeyPem = pair.publicKey.export({ format: 'pem', type: 'spki' }) as string;

const SCOPE = { allowedActions: ['charge'], currency: 'EUR' };
const SCOPED_PEM = scopedCertificatePem(SCOPE);

function record(tenantId: string, parent?: CertificateRecord): CertificateRecord {
  return {
    tenantId,
    fingerprint: `sha256:${createHash('sha256').update(randomBytes(16)).digest('hex')}`,
    serialNumber: randomBytes(16).toString('hex'),
    agentId: 'agent-1',
    pem: SCOPED_PEM,
    publicKeyPem,
    publicKeyAlgorithm: 'ECDSA_P256',
    scope: SCOPE,
    notBefore: T0 - 86_400_000,
    notAfter: T0 + 86_400_000,
    ancestors: parent ? [...parent.ancestors, parent.fingerprint] : [],
    ...(parent ? { parentFingerprint: parent.fingerprint } : {}),
    status: 'active',
    createdAt: T0,
  };
}

let nonces = 0;
function envelope(leaf: CertificateRecord): SignedEnvelope {
  nonces += 1;
  const unsigned = {
    payload: { action: 'charge', amount: 10, currency: 'EUR' },
    certificateFingerprint: leaf.fingerprint,
    timestamp: T0,
    nonce: `pipeline_nonce_${nonces.toString().padStart(8, '0')}`,
  };
  const signature = sign('sha256', signedBytes(unsigned), { key: pair.privateKey, dsaEncoding: 'der' });
  return { ...unsigned, signature: signature.toString('base64') };
}

async function pipeline() {
  const tenant = freshTenant();
  const clock = new TestClock(T0);
  const stores = createDynamoStores(env().doc, env().tableNames, clock, { monitoringTable: env().monitoringTable });
  await stores.agents.create(agentRecord(tenant, 'agent-1'));
  const root = record(tenant);
  const middle = record(tenant, root);
  const leaf = record(tenant, middle);
  for (const r of [root, middle, leaf]) await stores.certificates.put(r);
  const verifier = new ActionVerifier({
    ...stores,
    stream: new MemoryActionStream(),
    clock,
    config: {},
  });
  const code = async () => {
    const result = await verifier.verify(tenant, envelope(leaf));
    return result.verified ? true : result.error.code;
  };
  return { tenant, stores, root, middle, leaf, verifier, code };
}

/** DynamoDB requests sent through the shared document client while `task` runs. */
async function requestsDuring(task: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const name = `count-${Math.random()}`;
  env().doc.middlewareStack.add(
    (next, context) => async (args) => {
      seen.push(String(context.commandName).replace('Command', ''));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await task();
  } finally {
    env().doc.middlewareStack.remove(name);
  }
  return seen.sort();
}

/** The RequestItems of every BatchGetItem sent while `task` runs: which tables each one read. */
async function batchTablesDuring(task: () => Promise<unknown>): Promise<string[][]> {
  const seen: string[][] = [];
  const name = `batch-${Math.random()}`;
  env().doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { RequestItems?: Record<string, unknown> };
      if (context.commandName === 'BatchGetItemCommand') seen.push(Object.keys(input.RequestItems ?? {}).sort());
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await task();
  } finally {
    env().doc.middlewareStack.remove(name);
  }
  return seen;
}

const riskUpdate = (score: number) => ({
  state: new Uint8Array([1]),
  risk: { score, band: 'critical' as const, updatedAt: T0 },
  lastActionAt: T0,
});

describe('ActionVerifier on DynamoDB (dynalite): the risk score rides in the state read', () => {
  it('reads the registry and the monitoring table in ONE BatchGetItem, and no other risk read', async () => {
    const { code } = await pipeline();
    expect(await code()).toBe(true);
    const tables = await batchTablesDuring(async () => expect(await code()).toBe(true));
    expect(tables).toEqual([[env().monitoringTable, env().tableNames.registry].sort()]);
  });

  it('in enforce mode, a score the consumer saved at the threshold refuses the very next verification', async () => {
    const world = await pipeline();
    await world.stores.agents.update(world.tenant, 'agent-1', { mode: 'enforce' });
    expect(await world.code()).toBe(true);
    const behavior = new DynamoBehaviorStore(env().doc, env().monitoringTable);
    expect(await behavior.save(world.tenant, 'agent-1', 0, riskUpdate(0.85))).toBe(true);
    expect(await world.code()).toBe('RISK_THRESHOLD_EXCEEDED');
    expect(await behavior.save(world.tenant, 'agent-1', 1, riskUpdate(0.2))).toBe(true);
    expect(await world.code()).toBe(true);
  });

  it("never reads another tenant's or another agent's score", async () => {
    const world = await pipeline();
    await world.stores.agents.update(world.tenant, 'agent-1', { mode: 'enforce' });
    const behavior = new DynamoBehaviorStore(env().doc, env().monitoringTable);
    await behavior.save(freshTenant(), 'agent-1', 0, riskUpdate(1));
    await behavior.save(world.tenant, 'agent-2', 0, riskUpdate(1));
    expect(await world.code()).toBe(true);
  });

  it('a score of the wrong type on the item fails closed (503), never reads as 0', async () => {
    const world = await pipeline();
    await env().doc.send(
      new PutCommand({
        TableName: env().monitoringTable,
        Item: { pk: `AGENT#${world.tenant}#agent-1`, sk: 'STATE', riskScore: 'low' },
      }),
    );
    await expect(world.code()).rejects.toBeInstanceOf(DependencyError);
  });

  it('a store built without the monitoring table refuses to answer a state read that asks for risk', async () => {
    const world = await pipeline();
    const blind = createDynamoStores(env().doc, env().tableNames);
    const verifier = new ActionVerifier({
      ...blind,
      stream: new MemoryActionStream(),
      clock: new TestClock(T0),
      config: {},
    });
    await expect(verifier.verify(world.tenant, envelope(world.leaf))).rejects.toBeInstanceOf(DependencyError);
  });
});

describe('ActionVerifier on DynamoDB (dynalite)', () => {
  it('warm: 3 requests per verification (one state BatchGetItem, nonce PutItem, ledger PutItem); cold: 7', async () => {
    const { code } = await pipeline();
    // Cold: the certificate, then its ancestors (BatchGetItem) and its agent's chain (one GetItem per agent) for the
    // facts cache, then the state read.
    expect(await requestsDuring(async () => expect(await code()).toBe(true))).toEqual([
      'BatchGetItem',
      'BatchGetItem',
      'GetItem',
      'GetItem',
      'PutItem',
      'PutItem',
      'Query', // the ledger head, once per tenant and process
    ]);
    expect(await requestsDuring(async () => expect(await code()).toBe(true))).toEqual([
      'BatchGetItem',
      'PutItem',
      'PutItem',
    ]);
  });

  it.each(['leaf', 'middle', 'root'] as const)(
    'with the cache warm, revoking the %s is seen by the very next verification',
    async (which) => {
      const world = await pipeline();
      expect(await world.code()).toBe(true);
      await world.stores.certificates.revoke(world.tenant, world[which].fingerprint, 'keyCompromise', T0);
      expect(await world.code()).toBe('CERTIFICATE_REVOKED');
    },
  );

  it('with the cache warm, a suspension is seen by the very next verification, and so is the reactivation', async () => {
    const world = await pipeline();
    expect(await world.code()).toBe(true);
    await world.stores.agents.update(world.tenant, 'agent-1', { status: 'suspended' });
    expect(await world.code()).toBe('AGENT_SUSPENDED');
    await world.stores.agents.update(world.tenant, 'agent-1', { status: 'active' });
    expect(await world.code()).toBe(true);
  });

  it('24 concurrent verifications: all verified, each audited once, and the ledger chain is valid', async () => {
    const world = await pipeline();
    const results = await concurrently(24, () => world.code());
    expect(results.every((r) => r === true)).toBe(true);
    const verification = await world.stores.ledger.verify(world.tenant);
    expect(verification).toMatchObject({ valid: true, entries: 24 });
    const page = await world.stores.ledger.list(world.tenant, { limit: 100 });
    expect(page.items.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(new Set(page.items.map((e) => e.nonce)).size).toBe(24);
  });
});
