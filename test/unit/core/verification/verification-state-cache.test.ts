/**
 * The hot path: immutable certificate and chain facts are cached per process, every status (certificates and agents,
 * the whole chain) is read on every request by one `readVerificationState`. These tests warm the cache first, then change the mutable state, and require the
 * very next verification to see it.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MemoryCertificateStore } from '../../../../src/adapters/memory/memory-stores.js';
import { DependencyError } from '../../../../src/core/errors.js';
import type { CertificateRecord } from '../../../../src/core/model.js';
import { DEFAULT_SCOPE_OID } from '../../../../src/core/scope/scope-extension.js';
import { CertificateFactsCache, certificateFactsOf } from '../../../../src/core/verification/certificate-facts.js';
import { NOW, TENANT, World } from './world.js';

async function warmWorld() {
  const world = new World();
  const store = world.certificates;
  const root = await world.certificate();
  const middle = await world.certificate({ parent: root });
  const leaf = await world.certificate({ parent: middle });
  const first = await world.verifier.verify(TENANT, world.envelope(leaf));
  expect(first.verified).toBe(true);
  return { world, store, root, middle, leaf };
}

async function codeOf(world: World, leaf: CertificateRecord): Promise<string | true> {
  const result = await world.verifier.verify(TENANT, world.envelope(leaf));
  return result.verified ? true : result.error.code;
}

describe('ActionVerifier with a verification-state reader (warm certificate cache)', () => {
  it('reads the full record once, then only the state: one read per verification', async () => {
    const { world, store, root, middle, leaf } = await warmWorld();
    const get = vi.spyOn(store, 'get');
    const getMany = vi.spyOn(store, 'getMany');
    const agentGet = vi.spyOn(world.agents, 'get');
    const readState = vi.spyOn(store, 'readVerificationState');
    for (let i = 0; i < 3; i += 1) expect(await codeOf(world, leaf)).toBe(true);
    expect(get).not.toHaveBeenCalled();
    expect(readState).toHaveBeenCalledTimes(3);
    const [tenant, keys] = readState.mock.calls[0]!;
    expect(tenant).toBe(TENANT);
    expect([...keys.fingerprints].sort()).toEqual([leaf.fingerprint, middle.fingerprint, root.fingerprint].sort());
    // The certificate's agent and the agents of both ancestor certificates (each world certificate has its own).
    expect([...keys.agentIds].sort()).toEqual([leaf.agentId, middle.agentId, root.agentId].sort());
    // getMany/agents.get are called only inside the fake's readVerificationState, never by the verifier itself.
    expect(getMany).toHaveBeenCalledTimes(3);
    expect(agentGet).toHaveBeenCalledTimes(9);
  });

  it.each([
    ['the certificate itself', 'leaf'],
    ['its parent', 'middle'],
    ['its grandparent', 'root'],
  ] as const)('a revocation of %s is seen by the very next verification', async (_name, which) => {
    const warm = await warmWorld();
    await warm.store.revoke(TENANT, warm[which].fingerprint, 'keyCompromise', NOW);
    expect(await codeOf(warm.world, warm.leaf)).toBe('CERTIFICATE_REVOKED');
    const [entry] = warm.world.entries().slice(-1);
    expect(entry).toMatchObject({ type: 'action.rejected', errorCode: 'CERTIFICATE_REVOKED' });
  });

  it('a suspension is seen by the very next verification, and a reactivation too', async () => {
    const { world, leaf } = await warmWorld();
    await world.agents.update(TENANT, leaf.agentId, { status: 'suspended' });
    expect(await codeOf(world, leaf)).toBe('AGENT_SUSPENDED');
    await world.agents.update(TENANT, leaf.agentId, { status: 'active' });
    expect(await codeOf(world, leaf)).toBe(true);
  });

  it('a switch to enforce mode and a lowered threshold are seen by the very next verification', async () => {
    const { world, leaf } = await warmWorld();
    world.risk.set(TENANT, leaf.agentId, { score: 0.5, band: 'medium', updatedAt: NOW });
    expect(await codeOf(world, leaf)).toBe(true);
    await world.agents.update(TENANT, leaf.agentId, { mode: 'enforce', anomalyThreshold: 0.4 });
    expect(await codeOf(world, leaf)).toBe('RISK_THRESHOLD_EXCEEDED');
  });

  it('an ancestor missing from the state answer counts as revoked (fail closed)', async () => {
    const { world, store, root, leaf } = await warmWorld();
    const real = store.readVerificationState.bind(store);
    vi.spyOn(store, 'readVerificationState').mockImplementation(async (tenantId, keys) => {
      const state = await real(tenantId, keys);
      return { ...state, certificates: state.certificates.filter((c) => c.fingerprint !== root.fingerprint) };
    });
    expect(await codeOf(world, leaf)).toBe('CERTIFICATE_REVOKED');
  });

  it('a missing agent in the state answer counts as suspended (fail closed)', async () => {
    const { world, store, leaf } = await warmWorld();
    const real = store.readVerificationState.bind(store);
    vi.spyOn(store, 'readVerificationState').mockImplementation(async (tenantId, keys) => ({
      ...(await real(tenantId, keys)),
      agents: [],
    }));
    expect(await codeOf(world, leaf)).toBe('AGENT_SUSPENDED');
  });

  it.each([
    [
      'rejects',
      (s: MemoryCertificateStore) => vi.spyOn(s, 'readVerificationState').mockRejectedValue(new Error('timeout')),
    ],
    [
      'answers garbage',
      (s: MemoryCertificateStore) => vi.spyOn(s, 'readVerificationState').mockResolvedValue(null as unknown as never),
    ],
  ])('a state read that %s → DependencyError, nothing audited or streamed', async (_name, fail) => {
    const { world, store, leaf } = await warmWorld();
    const entries = world.entries().length;
    const streamed = world.stream.published.length;
    fail(store);
    await expect(world.verifier.verify(TENANT, world.envelope(leaf))).rejects.toBeInstanceOf(DependencyError);
    expect(world.entries()).toHaveLength(entries);
    expect(world.stream.published).toHaveLength(streamed);
  });

  it('a state read failure on a cold cache → DependencyError as well', async () => {
    const world = new World();
    const store = world.certificates;
    const leaf = await world.certificate();
    vi.spyOn(store, 'readVerificationState').mockRejectedValue(new Error('throttled'));
    await expect(world.verifier.verify(TENANT, world.envelope(leaf))).rejects.toBeInstanceOf(DependencyError);
    expect(world.entries()).toEqual([]);
  });

  it('a certificate the state no longer lists is answered as unknown and dropped from the cache', async () => {
    const facts = new CertificateFactsCache();
    const world = new World({ certificateFacts: facts });
    const store = world.certificates;
    const leaf = await world.certificate();
    expect(await codeOf(world, leaf)).toBe(true);
    expect(facts.size).toBe(1);
    vi.spyOn(store, 'readVerificationState').mockResolvedValue({ certificates: [], agents: [], risks: [] });
    expect(await codeOf(world, leaf)).toBe('CERTIFICATE_UNKNOWN');
    expect(facts.size).toBe(0);
  });

  it('never caches an unknown certificate: one issued after a miss is found', async () => {
    const world = new World();
    const leaf = await world.certificate({ store: false });
    expect(await codeOf(world, leaf)).toBe('CERTIFICATE_UNKNOWN');
    await world.certificates.put(leaf);
    expect(await codeOf(world, leaf)).toBe(true);
  });
});

describe('CertificateFactsCache', () => {
  it('holds no status, keys by tenant, and evicts the least recently used', async () => {
    const world = new World();
    const [a, b, c] = [await world.certificate(), await world.certificate(), await world.certificate()];
    const cache = new CertificateFactsCache(2);
    const factsOf = (record: CertificateRecord) => ({
      certificate: certificateFactsOf(record, DEFAULT_SCOPE_OID),
      lineage: [],
      ancestorAgentIds: [],
    });
    const facts = cache.remember(
      TENANT,
      a.fingerprint,
      factsOf({ ...a, status: 'revoked', revokedAt: NOW, revocationReason: 'superseded' }),
    );
    expect(facts.certificate).not.toHaveProperty('status');
    expect(facts.certificate).not.toHaveProperty('revokedAt');
    expect(Object.isFrozen(facts.certificate.scope)).toBe(true);
    expect(cache.get('another-tenant', a.fingerprint)).toBeUndefined();
    cache.remember(TENANT, b.fingerprint, factsOf(b));
    cache.get(TENANT, a.fingerprint);
    cache.remember(TENANT, c.fingerprint, factsOf(c));
    expect(cache.get(TENANT, b.fingerprint)).toBeUndefined();
    expect(cache.get(TENANT, a.fingerprint)?.certificate.fingerprint).toBe(a.fingerprint);
    expect(cache.size).toBe(2);
  });
});
