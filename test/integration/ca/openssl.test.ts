/**
 * OpenSSL as an independent judge of the CA's output (contract §3). The CA runs on the real clock here because
 * `openssl verify` checks validity at the current time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCOPE_OID } from '../../../src/core/scope/scope-extension.js';
import type { IssuedCertificate } from '../../../src/core/services.js';
import { agent, createCa, makeCsr } from '../../unit/core/ca/ca-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'kakunin-openssl-'));
const { ca } = createCa({ now: () => Date.now() });
const tenantId = 't1';

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Runs openssl with arguments (no shell); output is stdout then stderr (openssl reports on both). */
function openssl(args: string[]): { ok: boolean; output: string } {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

const crlPem = (der: Uint8Array): string =>
  `-----BEGIN X509 CRL-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim()}\n-----END X509 CRL-----\n`;

let rootPath = '';
let issuingPath = '';

function verify(issued: IssuedCertificate, name: string, crlPath?: string) {
  const leaf = file(`${name}.pem`, issued.record.pem);
  const crlArgs = crlPath === undefined ? [] : ['-crl_check', '-CRLfile', crlPath];
  return openssl(['verify', '-x509_strict', ...crlArgs, '-CAfile', rootPath, '-untrusted', issuingPath, leaf]);
}

beforeAll(async () => {
  const [issuingPem, rootPem] = (await ca.chainPem(tenantId)).split(/(?<=-----END CERTIFICATE-----)\n/);
  issuingPath = file('issuing.pem', `${issuingPem}\n`);
  rootPath = file('root.pem', rootPem ?? '');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openssl verify -x509_strict accepts root → issuing → agent', () => {
  it.each([
    ['vault ECDSA P-256', { keySpec: 'ECC_NIST_P256' as const }],
    ['vault RSA-2048', { keySpec: 'RSA_2048' as const }],
  ])('%s', async (name, binding) => {
    const issued = await ca.issue({ tenantId, agent: agent('a_vault0000000000001'), scope: {}, ...binding });
    const result = verify(issued, name.replace(/\W/g, '_'));
    expect(result.output).toContain(': OK');
    expect(result.ok).toBe(true);
  });

  it.each(['p256', 'rsa2048', 'rsa4096'] as const)('CSR %s', async (kind) => {
    const csr = await makeCsr(kind);
    const issued = await ca.issue({ tenantId, agent: agent('a_csr00000000000001'), scope: {}, csrPem: csr.pem });
    const result = verify(issued, `csr_${kind}`);
    expect(result.output).toContain(': OK');
    expect(result.ok).toBe(true);
  });

  it('the chain itself is strict-valid: issuing CA verifies against the root', () => {
    const result = openssl(['verify', '-x509_strict', '-CAfile', rootPath, issuingPath]);
    expect(result.ok).toBe(true);
  });
});

describe('openssl verify -crl_check', () => {
  it('reports a revoked agent and a sub-agent of a revoked parent as revoked; others stay OK', async () => {
    const scope = { maxTransactionSize: 100, allowedActions: ['charge'] };
    const parent = await ca.issue({ tenantId, agent: agent('a_parent00000000001'), scope });
    const child = await ca.issue({
      tenantId,
      agent: agent('a_child000000000001'),
      scope: { maxTransactionSize: 50, allowedActions: ['charge'] },
      validityDays: 7,
      parentFingerprint: parent.record.fingerprint,
    });
    const bystander = await ca.issue({ tenantId, agent: agent('a_bystander00000001'), scope: {} });
    await ca.revoke(tenantId, parent.record.fingerprint, 'anomaly');
    const crlPath = file('crl.pem', crlPem(await ca.crl(tenantId)));

    for (const [issued, name] of [
      [parent, 'parent'],
      [child, 'child'],
    ] as const) {
      const result = verify(issued, name, crlPath);
      expect(result.ok).toBe(false);
      expect(result.output).toContain('certificate revoked');
    }
    const fine = verify(bystander, 'bystander', crlPath);
    expect(fine.output).toContain(': OK');

    const text = openssl(['crl', '-in', crlPath, '-noout', '-text']).output;
    expect(text).toContain('X509v3 CRL Number');
    expect(text).toContain('Key Compromise');
    expect(text).toContain('Privilege Withdrawn');
    expect(text.toLowerCase()).toContain(parent.record.serialNumber.slice(0, 8));
    expect(openssl(['crl', '-in', crlPath, '-noout', '-CAfile', issuingPath]).output).toContain('verify OK');
  });
});

describe('openssl reads the profile', () => {
  it('x509 -text shows the SAN URI, critical digitalSignature and CA:FALSE; asn1parse parses the scope', async () => {
    const scope = { maxTransactionSize: 99.95, allowedCounterparties: ['stripe'], maxTransactionsPerHour: 10 };
    const issued = await ca.issue({ tenantId, agent: agent('a_profile0000000001'), scope });
    const pemPath = file('profile.pem', issued.record.pem);
    const text = openssl(['x509', '-in', pemPath, '-noout', '-text']).output;
    expect(text).toContain('URI:urn:kakunin:agent:a_profile0000000001');
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toContain('Subject: CN = agent-a_profile0000000001');
    expect(text).toContain(DEFAULT_SCOPE_OID);
    expect(text).toContain('X509v3 CRL Distribution Points');

    const extension = new X509Certificate(issued.record.pem).getExtension(DEFAULT_SCOPE_OID);
    expect(extension).not.toBeNull();
    const derPath = file('scope.der', new Uint8Array(extension!.value));
    const parsed = openssl(['asn1parse', '-inform', 'DER', '-in', derPath]);
    expect(parsed.ok).toBe(true);
    expect(parsed.output).not.toMatch(/error/i);
    expect(parsed.output).toMatch(/d=0 .* cons: SEQUENCE/);
    expect(parsed.output).toContain('PRINTABLESTRING   :EUR');
    expect(parsed.output).toMatch(/cons: cont \[ 0 \]\s+\n.*IA5STRING +:99\.95/);
    expect(parsed.output).toMatch(/cons: cont \[ 1 \][\s\S]*UTF8STRING +:stripe/);
    expect(parsed.output).toMatch(/cons: cont \[ 4 \]\s+\n.*INTEGER +:0A/);
    // The whole certificate parses too, with the scope OID in it.
    expect(openssl(['asn1parse', '-in', pemPath]).output).toContain(`:${DEFAULT_SCOPE_OID}`);
  });
});
