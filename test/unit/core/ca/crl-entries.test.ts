/**
 * CRL contents for revocation trees: every descendant of a revoked certificate is listed, dated from the EARLIEST
 * revocation above it, and a certificate revoked in its own right keeps its own reason.
 */
import { X509CrlReason } from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { MemoryCertificateStore } from '../../../../src/adapters/memory/memory-stores.js';
import { collectCrlEntries } from '../../../../src/core/ca/crl-entries.js';
import type { CertificateRecord } from '../../../../src/core/model.js';

const tenantId = 't1';
const fp = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const serial = (n: number) => n.toString(16).padStart(32, '4');

function record(n: number, lineage: number[]): CertificateRecord {
  const parent = lineage.at(-1);
  return {
    tenantId,
    fingerprint: fp(n),
    serialNumber: serial(n),
    agentId: `a_crl${String(n).padStart(16, '0')}`,
    pem: '',
    publicKeyPem: '',
    publicKeyAlgorithm: 'ECDSA_P256',
    scope: { currency: 'EUR' },
    notBefore: 0,
    notAfter: 10_000_000,
    ...(parent === undefined ? {} : { parentFingerprint: fp(parent) }),
    ancestors: lineage.map(fp),
    status: 'active',
    createdAt: 0,
  };
}

describe('collectCrlEntries', () => {
  it('dates descendants from the earliest revoked ancestor, even below a later-revoked one', async () => {
    const store = new MemoryCertificateStore();
    // 1 → 2 → 3 → 4, plus an untouched sibling tree 5.
    for (const r of [record(1, []), record(2, [1]), record(3, [1, 2]), record(4, [1, 2, 3]), record(5, [])]) {
      await store.put(r);
    }
    await store.revoke(tenantId, fp(1), 'cessationOfOperation', 1_000);
    await store.revoke(tenantId, fp(2), 'keyCompromise', 5_000);
    const entries = new Map((await collectCrlEntries(store, tenantId)).map((e) => [e.serialNumber, e]));
    expect(entries.size).toBe(4);
    expect(entries.get(serial(1))).toEqual({
      serialNumber: serial(1),
      revokedAt: 1_000,
      reason: X509CrlReason.cessationOfOperation,
    });
    // Revoked in its own right: keeps keyCompromise, but it was already invalid since its parent's revocation.
    expect(entries.get(serial(2))).toEqual({
      serialNumber: serial(2),
      revokedAt: 1_000,
      reason: X509CrlReason.keyCompromise,
    });
    for (const n of [3, 4]) {
      expect(entries.get(serial(n))).toEqual({
        serialNumber: serial(n),
        revokedAt: 1_000,
        reason: X509CrlReason.privilegeWithdrawn,
      });
    }
    expect(entries.has(serial(5))).toBe(false);
  });

  it('a descendant revoked before its ancestor keeps its own earlier time and reason', async () => {
    const store = new MemoryCertificateStore();
    for (const r of [record(1, []), record(2, [1]), record(3, [1, 2])]) await store.put(r);
    await store.revoke(tenantId, fp(2), 'superseded', 500);
    await store.revoke(tenantId, fp(1), 'keyCompromise', 2_000);
    const entries = new Map((await collectCrlEntries(store, tenantId)).map((e) => [e.serialNumber, e]));
    expect(entries.get(serial(2))).toEqual({
      serialNumber: serial(2),
      revokedAt: 500,
      reason: X509CrlReason.superseded,
    });
    expect(entries.get(serial(3))).toEqual({
      serialNumber: serial(3),
      revokedAt: 500,
      reason: X509CrlReason.privilegeWithdrawn,
    });
  });
});
