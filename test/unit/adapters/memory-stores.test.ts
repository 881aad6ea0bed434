/**
 * The in-memory fakes must hold the same isolation and fail-closed rules as the DynamoDB stores they stand in for,
 * or unit tests prove things the deployed system does not do.
 */
import { describe, expect, it } from 'vitest';
import {
  MemoryAgentStore,
  MemoryCertificateStore,
  MemoryNonceStore,
  MemoryVelocityStore,
} from '../../../src/adapters/memory/memory-stores.js';
import type { AgentRecord, CertificateRecord } from '../../../src/core/model.js';

const agent = (tenantId: string, id: string): AgentRecord => ({
  tenantId,
  id,
  name: 'n',
  metadata: {},
  mode: 'observe',
  warningThreshold: 0.75,
  anomalyThreshold: 0.85,
  status: 'active',
  createdAt: 1,
});

const certificate = (tenantId: string, fingerprint: string): CertificateRecord => ({
  tenantId,
  fingerprint,
  serialNumber: '01',
  agentId: 'z',
  pem: '',
  publicKeyPem: '',
  publicKeyAlgorithm: 'ECDSA_P256',
  scope: {},
  notBefore: 0,
  notAfter: 10,
  ancestors: [],
  status: 'active',
  createdAt: 0,
});

describe('memory stores: tenant isolation with separator characters in ids', () => {
  it('agents of tenant "x/y" (id "z") and tenant "x" (id "y/z") are different records', async () => {
    const store = new MemoryAgentStore();
    await store.create(agent('x/y', 'z'));
    expect(await store.get('x', 'y/z')).toBeUndefined();
    await expect(store.update('x', 'y/z', { status: 'suspended' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await store.create(agent('x', 'y/z'));
    expect((await store.get('x/y', 'z'))?.tenantId).toBe('x/y');
    expect((await store.get('x', 'y/z'))?.tenantId).toBe('x');
  });

  it('certificates and nonces are keyed per tenant whatever the ids contain', async () => {
    const certificates = new MemoryCertificateStore();
    await certificates.put(certificate('x/y', 'f'));
    expect(await certificates.get('x', 'y/f')).toBeUndefined();
    await expect(certificates.revoke('x', 'y/f', 'superseded', 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await certificates.get('x/y', 'f'))?.status).toBe('active');
    const nonces = new MemoryNonceStore();
    expect(await nonces.claim('x/y', 'f', 'n', 1, 100)).toBe(true);
    expect(await nonces.claim('x', 'y/f', 'n', 1, 100)).toBe(true);
    expect(await nonces.claim('x/y', 'f', 'n', 2, 100)).toBe(false);
  });
});

describe('memory velocity store: fail closed like the DynamoDB store', () => {
  it('refuses a negative or non-finite amount under a day limit instead of refunding volume', async () => {
    const store = new MemoryVelocityStore();
    const base = { tenantId: 't', at: 1_000, levels: [{ fingerprint: 'f', maxDailyVolume: 100 }] };
    expect(await store.consume({ ...base, amount: 100 })).toEqual({ ok: true });
    for (const amount of [-50, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(await store.consume({ ...base, amount })).toEqual({
        ok: false,
        limit: 'maxDailyVolume',
        fingerprint: 'f',
      });
    }
    expect(await store.consume({ ...base, amount: 1 })).toEqual({
      ok: false,
      limit: 'maxDailyVolume',
      fingerprint: 'f',
    });
  });
});
