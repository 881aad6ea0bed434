import { createHash } from 'node:crypto';
import { X509Certificate, X509Crl, X509CrlReason } from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateChain } from '../../../../src/core/ca/chain-validator.js';
import { randomSerialNumber } from '../../../../src/core/ca/serial-number.js';
import { KakuninError } from '../../../../src/core/errors.js';
import { ScopeExtension } from '../../../../src/core/scope/scope-extension.js';
import { agent, createCa, crypto, makeCsr, SettableClock, T0 } from './ca-fixture.js';

const DAY = 86_400_000;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KakuninError);
    return (error as KakuninError).code;
  }
  return 'NO_ERROR';
}

const clock = new SettableClock(T0);
const env = createCa(clock);
const { ca, vault, certificates } = env;
const tenantId = 't1';

beforeAll(async () => {
  await ca.ensureTenant(tenantId);
});

describe('agent certificate profile', () => {
  it('issues a vault-held P-256 key with the contract §3 record and a typed scope', async () => {
    const subject = agent('a_profile000000000001');
    const { record, chainPem } = await ca.issue({ tenantId, agent: subject, scope: { allowedActions: ['charge'] } });
    const cert = new X509Certificate(record.pem);
    expect(record.serialNumber).toMatch(/^[0-9a-f]{32}$/);
    expect(cert.serialNumber).toBe(record.serialNumber);
    expect(record.fingerprint).toBe(`sha256:${createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex')}`);
    expect(record.publicKeyAlgorithm).toBe('ECDSA_P256');
    expect(record.keyRef).toBeDefined();
    expect(record.keySpec).toBe('ECC_NIST_P256');
    expect(vault.tagsOf(record.keyRef!)).toEqual({ tenantId, purpose: 'agent', agentId: subject.id });
    expect(record.notBefore).toBe(T0);
    expect(record.notAfter).toBe(T0 + 30 * DAY);
    expect(record.ancestors).toEqual([]);
    expect(cert.subject).toBe(`CN=${subject.name}`);
    expect(cert.getExtension(ScopeExtension)?.scope).toEqual({ currency: 'EUR', allowedActions: ['charge'] });
    expect(await certificates.get(tenantId, record.fingerprint)).toEqual(record);
    const [issuingPem] = chainPem.split(/(?<=-----END CERTIFICATE-----)\n/);
    expect(await cert.verify({ publicKey: new X509Certificate(issuingPem!), signatureOnly: true }, crypto)).toBe(true);
    expect(chainPem).toBe(await ca.chainPem(tenantId));
    const der = (pem: string) => new Uint8Array(new X509Certificate(pem).rawData);
    const [issuing, rootPem] = chainPem.split(/(?<=-----END CERTIFICATE-----)\n/);
    const validAt = (at: number) => validateChain(der(record.pem), [der(issuing!)], [der(rootPem!)], new Date(at));
    expect(await validAt(T0 + DAY)).toEqual({ valid: true });
    expect((await validAt(record.notAfter + 1000)).valid).toBe(false);
  });

  it('binds a CSR key (no keyRef) and ignores what the CSR asked for as subject', async () => {
    const csr = await makeCsr('p256', 'evil-admin');
    const { record } = await ca.issue({ tenantId, agent: agent('a_csr0000000000000001'), scope: {}, csrPem: csr.pem });
    expect(record.keyRef).toBeUndefined();
    expect(new X509Certificate(record.pem).subject).toBe('CN=agent-a_csr0000000000000001');
    const spki = Buffer.from(await crypto.subtle.exportKey('spki', csr.keys.publicKey));
    expect(record.publicKeyPem).toContain(spki.toString('base64').slice(0, 40));
  });

  it('16-byte serials stay positive and exactly 16 bytes whatever the random bytes', () => {
    expect(randomSerialNumber({ bytes: (n) => new Uint8Array(n).fill(0xff) })).toBe(`7${'f'.repeat(31)}`);
    expect(randomSerialNumber({ bytes: (n) => new Uint8Array(n) })).toBe(`40${'0'.repeat(30)}`);
  });
});

describe('CSR intake', () => {
  it.each([
    ['P-384 key', async () => (await makeCsr('p384')).pem],
    ['RSA-1024 key', async () => (await makeCsr('rsa1024')).pem],
    ['Ed25519 key', async () => (await makeCsr('ed25519')).pem],
    ['tampered signature', async () => tamper((await makeCsr('p256')).pem)],
    ['garbage PEM', async () => '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'],
    ['not PEM at all', async () => 'hello'],
  ])('%s → INVALID_CSR', async (_name, csrPem) => {
    const pem = await csrPem();
    expect(await codeOf(ca.issue({ tenantId, agent: agent('a_badcsr000000000001'), scope: {}, csrPem: pem }))).toBe(
      'INVALID_CSR',
    );
  });

  // A suspended agent is refused before the CA is asked (the one policy, test/unit/core/authorization).
  it('csr and keySpec together, a bad currency, a bad validity → INVALID_REQUEST', async () => {
    const csr = await makeCsr('p256');
    const request = { tenantId, agent: agent('a_both00000000000001'), scope: {} };
    expect(await codeOf(ca.issue({ ...request, csrPem: csr.pem, keySpec: 'ECC_NIST_P256' }))).toBe('INVALID_REQUEST');
    expect(await codeOf(ca.issue({ ...request, scope: { currency: 'euro' } }))).toBe('INVALID_REQUEST');
    expect(await codeOf(ca.issue({ ...request, validityDays: 366 }))).toBe('INVALID_REQUEST');
    expect(await codeOf(ca.issue({ ...request, validityDays: 1, validityHours: 1 }))).toBe('INVALID_REQUEST');
  });
});

/** Flips one bit inside the CSR signature (the last bytes of the DER). */
function tamper(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 3] = (der[der.length - 3] ?? 0) ^ 0x01;
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`;
}

describe('sub-agent narrowing and revocation', () => {
  const parentScope = { maxTransactionSize: 100, allowedActions: ['charge', 'refund'] };

  it('accepts a narrower child and records its lineage', async () => {
    const parent = await ca.issue({ tenantId, agent: agent('a_lineage00000000001'), scope: parentScope });
    const child = await ca.issue({
      tenantId,
      agent: agent('a_lineage00000000002'),
      scope: { maxTransactionSize: 10, allowedActions: ['charge'] },
      validityDays: 10,
      parentFingerprint: parent.record.fingerprint,
    });
    const grandchild = await ca.issue({
      tenantId,
      agent: agent('a_lineage00000000003'),
      scope: { maxTransactionSize: 10, allowedActions: [] },
      validityHours: 5,
      parentFingerprint: child.record.fingerprint,
    });
    expect(grandchild.record.parentFingerprint).toBe(child.record.fingerprint);
    expect(grandchild.record.ancestors).toEqual([parent.record.fingerprint, child.record.fingerprint]);
  });

  it.each([
    ['a wider limit', { scope: { maxTransactionSize: 101, allowedActions: ['charge'] } }],
    ['an extra action', { scope: { maxTransactionSize: 1, allowedActions: ['payout'] } }],
    ['a dropped list', { scope: { maxTransactionSize: 1 } }],
    ['another currency', { scope: { maxTransactionSize: 1, allowedActions: [], currency: 'USD' } }],
    ['a notAfter beyond the parent', { scope: { maxTransactionSize: 1, allowedActions: [] }, validityDays: 31 }],
  ])('refuses %s with SCOPE_EXCEEDS_PARENT', async (_name, overrides) => {
    const parent = await ca.issue({ tenantId, agent: agent('a_wide0000000000001'), scope: parentScope });
    const request = { tenantId, agent: agent('a_wide0000000000002'), parentFingerprint: parent.record.fingerprint };
    expect(await codeOf(ca.issue({ ...request, ...overrides }))).toBe('SCOPE_EXCEEDS_PARENT');
  });

  it('unknown parent → NOT_FOUND; revoked parent → SCOPE_EXCEEDS_PARENT', async () => {
    const request = { tenantId, agent: agent('a_orphan000000000001'), scope: {} };
    expect(await codeOf(ca.issue({ ...request, parentFingerprint: `sha256:${'0'.repeat(64)}` }))).toBe('NOT_FOUND');
    const parent = await ca.issue({ ...request, agent: agent('a_orphan000000000002') });
    await ca.revoke(tenantId, parent.record.fingerprint, 'superseded');
    const code = await codeOf(ca.issue({ ...request, parentFingerprint: parent.record.fingerprint, validityDays: 1 }));
    expect(code).toBe('SCOPE_EXCEEDS_PARENT');
  });

  it('revoking a parent makes every descendant parent_revoked; revoking twice keeps the first time and reason', async () => {
    const root = await ca.issue({ tenantId, agent: agent('a_tree0000000000001'), scope: {} });
    const child = await ca.issue({
      tenantId,
      agent: agent('a_tree0000000000002'),
      scope: {},
      validityDays: 5,
      parentFingerprint: root.record.fingerprint,
    });
    const grandchild = await ca.issue({
      tenantId,
      agent: agent('a_tree0000000000003'),
      scope: {},
      validityDays: 1,
      parentFingerprint: child.record.fingerprint,
    });
    expect((await ca.state(tenantId, grandchild.record.fingerprint)).state).toEqual({ valid: true, status: 'active' });
    const first = await ca.revoke(tenantId, child.record.fingerprint, 'anomaly');
    expect(first.changed).toBe(true);
    clock.current += 1000;
    const second = await ca.revoke(tenantId, child.record.fingerprint, 'keyCompromise');
    clock.current -= 1000;
    expect(second).toEqual({ revokedAt: first.revokedAt, reason: 'anomaly', changed: false });
    expect((await ca.state(tenantId, child.record.fingerprint)).state.valid).toBe(false);
    expect((await ca.state(tenantId, grandchild.record.fingerprint)).state).toEqual({
      valid: false,
      status: 'revoked',
      reason: 'parent_revoked',
    });
    expect((await ca.state(tenantId, root.record.fingerprint)).state.valid).toBe(true);

    const crl = new X509Crl(new Uint8Array(await ca.crl(tenantId)));
    const issuing = new X509Certificate(
      (await ca.chainPem(tenantId)).split('-----END CERTIFICATE-----')[0]!.concat('-----END CERTIFICATE-----'),
    );
    // x509 2.2.0 builds the verify algorithm from the issuer certificate's own signature algorithm (RSA from the root)
    // when handed a certificate; hand it the public key instead.
    expect(await crl.verify({ publicKey: issuing.publicKey }, crypto)).toBe(true);
    expect(crl.findRevoked(child.record.serialNumber)?.reason).toBe(X509CrlReason.keyCompromise);
    expect(crl.findRevoked(grandchild.record.serialNumber)?.reason).toBe(X509CrlReason.privilegeWithdrawn);
    expect(crl.findRevoked(root.record.serialNumber)).toBeNull();
    expect(crl.nextUpdate!.getTime() - crl.thisUpdate.getTime()).toBe(DAY);
  });

  it('CRL numbers increase; state follows the clock (not_yet_valid, expired); unknown → NOT_FOUND', async () => {
    const numbers = [];
    for (let i = 0; i < 3; i += 1) {
      const crl = new X509Crl(new Uint8Array(await ca.crl(tenantId)));
      numbers.push(BigInt(`0x${Buffer.from(crl.getExtension('2.5.29.20')!.value).toString('hex').slice(4)}`));
    }
    expect(numbers[1]! > numbers[0]! && numbers[2]! > numbers[1]!).toBe(true);
    const { record } = await ca.issue({ tenantId, agent: agent('a_time0000000000001'), scope: {}, validityHours: 1 });
    const stateAt = async (at: number) => {
      const saved = clock.current;
      clock.current = at;
      const { state } = await ca.state(tenantId, record.fingerprint);
      clock.current = saved;
      return state;
    };
    expect(await stateAt(record.notBefore - 1)).toEqual({ valid: false, status: 'active', reason: 'not_yet_valid' });
    expect(await stateAt(record.notAfter)).toEqual({ valid: true, status: 'active' });
    expect(await stateAt(record.notAfter + 1)).toEqual({ valid: false, status: 'expired', reason: 'expired' });
    expect(await codeOf(ca.state(tenantId, `sha256:${'1'.repeat(64)}`))).toBe('NOT_FOUND');
    expect(await codeOf(ca.revoke(tenantId, `sha256:${'1'.repeat(64)}`, 'unspecified'))).toBe('NOT_FOUND');
  });
});
