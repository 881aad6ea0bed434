/**
 * checkRevocation: the x509-limbo `crl::*` conformance cases, then one case per RFC 5280 §6.3 rule the check
 * enforces (each built so that only that rule fails), all with a fixed validation time.
 */
import { readFileSync } from 'node:fs';
import { AsnConvert } from '@peculiar/asn1-schema';
import { DistributionPointName, GeneralName, IssuingDistributionPoint } from '@peculiar/asn1-x509';
import {
  CRLDistributionPointsExtension,
  Extension,
  KeyUsageFlags,
  X509Certificate,
  X509CrlReason,
} from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRevocation } from '../../packages/sdk/src/index.js';
import { CRL_NUMBER, crlNumber, makeCa, makeCrl, makeLeaf, type Party } from './support/mini-pki.js';

interface LimboCase {
  id: string;
  expected_result: 'SUCCESS' | 'FAILURE';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  crls: string[];
}

const limbo = JSON.parse(
  readFileSync(new URL('../fixtures/vectors/x509-limbo-crl/crl-cases.json', import.meta.url), 'utf8'),
) as { testcases: LimboCase[] };

describe('checkRevocation: x509-limbo crl::* cases', () => {
  it('covers every case of the fixture', () => expect(limbo.testcases.length).toBe(8));

  for (const testcase of limbo.testcases) {
    it(`${testcase.id} → ${testcase.expected_result}`, async () => {
      const peer = new X509Certificate(testcase.peer_certificate);
      const candidates = [...testcase.trusted_certs, ...testcase.untrusted_intermediates];
      const issuer = candidates.find((pem) => new X509Certificate(pem).subject === peer.issuer);
      expect(issuer).toBeDefined();
      const at = testcase.validation_time === null ? Date.now() : Date.parse(testcase.validation_time);
      // Only CRLs from the certificate's own issuer apply (§6.3.3 b); the limbo harness passes them all.
      const results = await Promise.all(
        testcase.crls.map((crl) =>
          checkRevocation({ certificate: peer, issuer: issuer!, crl, at, maxCrlAgeMs: Infinity }),
        ),
      );
      const applicable = results.filter((result, index) => {
        const crlIssuer = testcase.crls[index]!;
        return result.reason !== 'CRL issuer is not the certificate issuer' || crlIssuer === '';
      });
      const good = applicable.length > 0 && applicable.every((result) => result.status === 'good');
      expect(good ? 'SUCCESS' : 'FAILURE').toBe(testcase.expected_result);
    });
  }
});

describe('checkRevocation: RFC 5280 §6.3 rules', () => {
  const AT = Date.UTC(2026, 5, 1);
  let root: Party;
  let issuing: Party;
  let leaf: Party;

  beforeAll(async () => {
    root = await makeCa('root');
    issuing = await makeCa('issuing', root);
    leaf = await makeLeaf(issuing);
  });

  const check = async (
    crl: Uint8Array | string,
    extra: { at?: number; maxCrlAgeMs?: number; certificate?: X509Certificate } = {},
  ) =>
    checkRevocation({
      certificate: (extra.certificate ?? leaf.cert).toString('pem'),
      issuer: issuing.cert.toString('pem'),
      crl,
      at: extra.at ?? AT,
      ...(extra.maxCrlAgeMs === undefined ? {} : { maxCrlAgeMs: extra.maxCrlAgeMs }),
    });

  it('good for an unlisted serial; revoked with the reason for a listed one; DER and PEM both read', async () => {
    expect(await check(await makeCrl(issuing, AT))).toEqual({ status: 'good' });
    const crl = await makeCrl(issuing, AT, {
      entries: [
        {
          serialNumber: leaf.cert.serialNumber,
          revocationDate: new Date(AT - 1000),
          reason: X509CrlReason.privilegeWithdrawn,
        },
      ],
    });
    expect(await check(crl)).toEqual({ status: 'revoked', reason: 'privilegeWithdrawn' });
    const pem = `-----BEGIN X509 CRL-----\n${Buffer.from(crl).toString('base64')}\n-----END X509 CRL-----\n`;
    expect(await check(pem)).toMatchObject({ status: 'revoked' });
  });

  const unknownCases: [string, () => Promise<Uint8Array>, RegExp, { at?: number; maxCrlAgeMs?: number }?][] = [
    ['signed by another key', async () => makeCrl(issuing, AT, { signer: await makeCa('other', root) }), /signature/],
    ['issued by another CA', async () => makeCrl(await makeCa('other', root), AT), /issuer/],
    ['naming another issuer', () => makeCrl(issuing, AT, { issuerName: 'CN=someone-else' }), /issuer/],
    [
      'with a mismatched AKI',
      async () => {
        const other = await makeCa('other', root);
        const { AuthorityKeyIdentifierExtension } = await import('@peculiar/x509');
        return makeCrl(issuing, AT, {
          replaceExtensions: true,
          extensions: [await AuthorityKeyIdentifierExtension.create(other.cert), crlNumber()],
        });
      },
      /AKI/,
    ],
    ['without a CRL number', () => makeCrl(issuing, AT, { replaceExtensions: true }), /CRL number/],
    [
      'with a critical CRL number',
      () => makeCrl(issuing, AT, { replaceExtensions: true, extensions: [crlNumber(true)] }),
      /CRL number/,
    ],
    [
      'with an unknown critical extension',
      () => makeCrl(issuing, AT, { extensions: [new Extension('1.2.3.4.5', true, new Uint8Array([5, 0]))] }),
      /critical CRL extension/,
    ],
    [
      'that is a delta CRL',
      () => makeCrl(issuing, AT, { extensions: [new Extension('2.5.29.27', true, new Uint8Array([2, 1, 4]))] }),
      /delta/,
    ],
    [
      'with an unknown critical entry extension',
      () =>
        makeCrl(issuing, AT, {
          entries: [{ serialNumber: '01', extensions: [new Extension('1.2.3.4.6', true, new Uint8Array([5, 0]))] }],
        }),
      /entry extension/,
    ],
    ['whose thisUpdate is in the future', () => makeCrl(issuing, AT, { thisUpdate: new Date(AT + 1000) }), /future/],
    [
      'past its nextUpdate',
      () => makeCrl(issuing, AT, { thisUpdate: new Date(AT - 3000), nextUpdate: new Date(AT - 1000) }),
      /nextUpdate/,
    ],
    ['without nextUpdate', () => makeCrl(issuing, AT, { nextUpdate: null }), /nextUpdate/],
    [
      'older than maxCrlAgeMs',
      () => makeCrl(issuing, AT, { thisUpdate: new Date(AT - 7200_000) }),
      /maximum age/,
      { maxCrlAgeMs: 3600_000 },
    ],
    [
      'whose IDP covers CA certificates only',
      () => makeCrl(issuing, AT, { extensions: [idp({ onlyContainsCACerts: true })] }),
      /CA certificates only/,
    ],
    [
      'whose IDP covers only some reasons',
      async () => {
        const { Reason } = await import('@peculiar/asn1-x509');
        return makeCrl(issuing, AT, { extensions: [idp({ onlySomeReasons: new Reason(1) })] });
      },
      /some reasons/,
    ],
    ['whose IDP is indirect', () => makeCrl(issuing, AT, { extensions: [idp({ indirectCRL: true })] }), /indirect/],
    ['garbage', async () => new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), /parse/],
  ];

  for (const [name, build, reason, extra] of unknownCases) {
    it(`unknown for a CRL ${name}`, async () => {
      const result = await check(await build(), extra);
      expect(result.status).toBe('unknown');
      expect(result.reason).toMatch(reason);
    });
  }

  it('an IDP naming a distribution point covers only certificates that name it', async () => {
    const named = await makeLeaf(issuing, [new CRLDistributionPointsExtension(['http://crl.test/a'])]);
    const dp = new DistributionPointName({
      fullName: [new GeneralName({ uniformResourceIdentifier: 'http://crl.test/a' })],
    });
    const crl = await makeCrl(issuing, AT, {
      extensions: [idp({ distributionPoint: dp, onlyContainsUserCerts: true }, true)],
    });
    expect(await check(crl, { certificate: named.cert })).toEqual({ status: 'good' });
    const other = new DistributionPointName({
      fullName: [new GeneralName({ uniformResourceIdentifier: 'http://crl.test/b' })],
    });
    const wrong = await makeCrl(issuing, AT, { extensions: [idp({ distributionPoint: other }, true)] });
    expect(await check(wrong, { certificate: named.cert })).toMatchObject({
      status: 'unknown',
      reason: /does not cover/,
    });
  });

  it('an issuer without cRLSign cannot vouch for revocation status', async () => {
    const noCrlSign = await makeCa('no-crl-sign', root, { usages: KeyUsageFlags.keyCertSign });
    const child = await makeLeaf(noCrlSign);
    const result = await checkRevocation({
      certificate: child.cert,
      issuer: noCrlSign.cert,
      crl: await makeCrl(noCrlSign, AT),
      at: AT,
    });
    expect(result).toMatchObject({ status: 'unknown', reason: /may not sign CRLs/ });
  });

  it('the CRL number OID the tests use is the real one', () => expect(CRL_NUMBER).toBe('2.5.29.20'));
});

function idp(fields: Partial<IssuingDistributionPoint>, critical = true): Extension {
  return new Extension('2.5.29.28', critical, AsnConvert.serialize(new IssuingDistributionPoint(fields)));
}
