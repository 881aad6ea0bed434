/**
 * Issue 9: `GET /v1/crl` is unauthenticated and used to sign a fresh CRL per request (a KMS Sign, a counter write and a
 * revocation listing each). The CA now publishes: it signs when a revocation happens or half the validity has passed,
 * and serves the stored CRL otherwise, while every revocation made before a request is still listed (docs/api.md §2).
 */
import { X509Crl } from '@peculiar/x509';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryKeyVault } from '../../../../src/adapters/memory/memory-key-vault.js';
import { MemoryCaStore, MemoryCertificateStore } from '../../../../src/adapters/memory/memory-stores.js';
import { CertificateAuthority } from '../../../../src/core/ca/certificate-authority.js';
import { ProcessLocalCrlStore } from '../../../../src/core/ca/crl-publisher.js';
import { KakuninError } from '../../../../src/core/errors.js';
import { agent, SettableClock, T0 } from './ca-fixture.js';

const HOUR = 3_600_000;

function setup() {
  const clock = new SettableClock(T0);
  const vault = new MemoryKeyVault();
  const caStore = new MemoryCaStore();
  const certificates = new MemoryCertificateStore();
  const crls = new ProcessLocalCrlStore();
  const ca = new CertificateAuthority({
    vault,
    caStore,
    certificates,
    clock,
    crls,
    random: {
      bytes: (n) => new Uint8Array(Buffer.alloc(n, 7).map((_, i) => (i * 31 + n + Math.random() * 255) & 255)),
    },
    config: { crlUrl: () => 'http://127.0.0.1/v1/crl' },
  });
  return { clock, vault, caStore, certificates, crls, ca };
}

// One CA (its RSA-4096 root takes seconds to make); each test gets a fresh tenant, clock and signature count.
const env = setup();
const signSpy = vi.spyOn(env.vault, 'sign');
let tenantId: string;
let tenants = 0;
let base = 0;
const signs = () => signSpy.mock.calls.length - base;

beforeEach(async () => {
  tenants += 1;
  tenantId = `t${tenants}`;
  env.clock.current = T0;
  await env.ca.ensureTenant(tenantId);
  base = signSpy.mock.calls.length;
});

const serials = async (der: Uint8Array) =>
  new X509Crl(new Uint8Array(der)).entries.map((entry) => entry.serialNumber.toLowerCase()).sort();

async function issue(id: string) {
  return (await env.ca.issue({ tenantId, agent: agent(id, { tenantId }), scope: {}, validityDays: 30 })).record;
}

describe('CRL publication', () => {
  it('serves one signed CRL to any number of requests (one Sign, however many GETs)', async () => {
    const first = await env.ca.currentCrl(tenantId);
    const results = await Promise.all(Array.from({ length: 50 }, () => env.ca.currentCrl(tenantId)));
    expect(results.every((crl) => crl.crlNumber === first.crlNumber)).toBe(true);
    expect(signs()).toBe(1);
  });

  it('a burst of concurrent first requests shares one signing', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => env.ca.currentCrl(tenantId)));
    expect(new Set(results.map((crl) => crl.crlNumber))).toEqual(new Set([results[0]!.crlNumber]));
    expect(signs()).toBe(1);
  });

  it('lists a revocation at once: the revoke publishes, and the next request gets the new CRL', async () => {
    const record = await issue('a_crlpub000000000001');
    const before = await env.ca.currentCrl(tenantId);
    expect(await serials(before.der)).toEqual([]);
    await env.ca.revoke(tenantId, record.fingerprint, 'keyCompromise');
    const after = await env.ca.currentCrl(tenantId);
    expect(after.crlNumber > before.crlNumber).toBe(true);
    expect(await serials(after.der)).toEqual([record.serialNumber.toLowerCase()]);
    const again = await env.ca.currentCrl(tenantId);
    expect(again.crlNumber).toBe(after.crlNumber);
  });

  it('still lists the revocation when publishing at revoke time failed (the request signs first)', async () => {
    const record = await issue('a_crlpub000000000002');
    await env.ca.currentCrl(tenantId);
    const put = vi.spyOn(env.crls, 'put').mockRejectedValueOnce(new Error('bucket down'));
    await expect(env.ca.revoke(tenantId, record.fingerprint, 'superseded')).resolves.toMatchObject({ changed: true });
    put.mockRestore();
    const crl = await env.ca.currentCrl(tenantId);
    expect(await serials(crl.der)).toEqual([record.serialNumber.toLowerCase()]);
  });

  it('answers 503 for a revoke whose revision bump fails; a retry bumps and publishes', async () => {
    const record = await issue('a_crlpub000000000003');
    const bump = vi.spyOn(env.caStore, 'bumpCrlRevision').mockRejectedValueOnce(new Error('table down'));
    const failed = await env.ca.revoke(tenantId, record.fingerprint, 'superseded').catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(KakuninError);
    expect((failed as KakuninError).code).toBe('UNAVAILABLE');
    bump.mockRestore();
    await env.ca.revoke(tenantId, record.fingerprint, 'superseded');
    expect(await serials((await env.ca.currentCrl(tenantId)).der)).toEqual([record.serialNumber.toLowerCase()]);
  });

  it('re-signs once half the validity (24 h) has passed, never serving a CRL near its nextUpdate', async () => {
    const first = await env.ca.currentCrl(tenantId);
    env.clock.current += 11 * HOUR;
    expect((await env.ca.currentCrl(tenantId)).crlNumber).toBe(first.crlNumber);
    expect(await env.ca.refreshCrlIfDue(tenantId)).toBe(false);
    env.clock.current += 1 * HOUR;
    expect(await env.ca.refreshCrlIfDue(tenantId)).toBe(true);
    const refreshed = await env.ca.currentCrl(tenantId);
    expect(refreshed.crlNumber > first.crlNumber).toBe(true);
    expect(refreshed.nextUpdate - env.clock.now()).toBeGreaterThan(23 * HOUR);
    expect(signs()).toBe(2);
  });

  it('keeps the higher-numbered CRL when writers race', async () => {
    const a = await env.ca.currentCrl(tenantId);
    env.clock.current += 13 * HOUR;
    const b = await env.ca.currentCrl(tenantId);
    await env.crls.put(tenantId, a);
    expect((await env.crls.get(tenantId))?.crlNumber).toBe(b.crlNumber);
  });
});
