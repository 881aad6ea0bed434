import { describe, expect, it } from 'vitest';
import { cachedProvider } from '../../../src/app/cached-provider.js';
import { lazyCertificateAuthority, lazyKeyVault } from '../../../src/app/lazy-services.js';
import type { CertificateAuthorityService } from '../../../src/core/services.js';
import type { KeyVault } from '../../../src/ports.js';

describe('cachedProvider', () => {
  it('builds once and shares the result with concurrent and later callers', async () => {
    let builds = 0;
    const provider = cachedProvider(async () => ({ build: ++builds }));
    const results = await Promise.all([provider(), provider(), provider()]);
    expect(await provider()).toBe(results[0]);
    expect(results.every((result) => result === results[0])).toBe(true);
    expect(builds).toBe(1);
  });

  it('does not cache a failed build: the next call retries', async () => {
    let attempts = 0;
    const provider = cachedProvider(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('table name missing');
      return { attempts };
    });
    await expect(provider()).rejects.toThrow('table name missing');
    await expect(provider()).resolves.toEqual({ attempts: 2 });
    await expect(provider()).resolves.toEqual({ attempts: 2 });
  });
});

describe('lazy services', () => {
  const fakeVault = (): KeyVault => ({
    createKey: async (spec) => `key-${spec}`,
    getPublicKey: async () => new Uint8Array([1, 2]),
    sign: async (_keyId, message) => message.slice().reverse(),
    scheduleDeletion: async () => {},
  });

  it('loads the vault on first use only, once, and delegates every call', async () => {
    let loads = 0;
    const vault = lazyKeyVault(async () => {
      loads += 1;
      return fakeVault();
    });
    expect(loads).toBe(0);
    expect(await vault.createKey('ECC_NIST_P256', { purpose: 'agent', tenantId: 't' })).toBe('key-ECC_NIST_P256');
    expect(await vault.getPublicKey('k')).toEqual(new Uint8Array([1, 2]));
    expect(await vault.sign('k', new Uint8Array([1, 2, 3]), 'ECDSA_SHA_256')).toEqual(new Uint8Array([3, 2, 1]));
    expect(loads).toBe(1);
  });

  it('retries a failed CA load and then delegates every method', async () => {
    const calls: string[] = [];
    const ca: CertificateAuthorityService = {
      ensureRoot: async () => void calls.push('ensureRoot'),
      ensureTenant: async (tenantId) => void calls.push(`ensureTenant ${tenantId}`),
      issue: async () => {
        calls.push('issue');
        throw new Error('not in this test');
      },
      state: async () => {
        calls.push('state');
        throw new Error('not in this test');
      },
      revoke: async (_t, _f, reason) => ({ revokedAt: 1, reason, changed: true }),
      crl: async () => new Uint8Array([48]),
      currentCrl: async () => ({
        der: new Uint8Array([48]),
        crlNumber: 7n,
        thisUpdate: 0,
        nextUpdate: 1,
        revision: 2n,
      }),
      refreshCrlIfDue: async () => true,
      refreshPublishedCrls: async () => ({ tenants: 1, signed: 1, failed: [] }),
      chainPem: async (tenantId) => `chain of ${tenantId}`,
    };
    let loads = 0;
    const lazy = lazyCertificateAuthority(async () => {
      loads += 1;
      if (loads === 1) throw new Error('module load failed');
      return ca;
    });
    await expect(lazy.chainPem('acme')).rejects.toThrow('module load failed');
    expect(await lazy.chainPem('acme')).toBe('chain of acme');
    await lazy.ensureRoot();
    await lazy.ensureTenant('acme');
    expect(await lazy.crl('acme')).toEqual(new Uint8Array([48]));
    expect((await lazy.currentCrl('acme')).crlNumber).toBe(7n);
    expect(await lazy.refreshCrlIfDue('acme')).toBe(true);
    expect(await lazy.refreshPublishedCrls()).toEqual({ tenants: 1, signed: 1, failed: [] });
    expect(await lazy.revoke('acme', 'sha256:x', 'superseded')).toEqual({
      revokedAt: 1,
      reason: 'superseded',
      changed: true,
    });
    await expect(lazy.state('acme', 'sha256:x')).rejects.toThrow('not in this test');
    expect(calls).toEqual(['ensureRoot', 'ensureTenant acme', 'state']);
    expect(loads).toBe(2);
  });
});
