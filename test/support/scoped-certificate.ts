/**
 * A real, parseable X.509 certificate carrying a given scope extension, built synchronously for test and benchmark
 * records (the verifier reads the scope from the certificate, never from the record's copy). Self-signed with one
 * fixed P-256 key: the verifier never checks this signature (the record's fingerprint names the DER), it only decodes.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import type { Scope } from '../../src/core/model.js';
import { encodeScope } from '../../src/core/scope/scope-codec.js';
import { DEFAULT_SCOPE_OID } from '../../src/core/scope/scope-extension.js';

const ISSUER_KEY = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const SPKI = AsnConvert.parse(ISSUER_KEY.publicKey.export({ format: 'der', type: 'spki' }), SubjectPublicKeyInfo);
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';

const nameOf = (cn: string) =>
  new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: COMMON_NAME, value: new AttributeValue({ utf8String: cn }) }),
    ]),
  ]);

let serial = 0;

/** PEM of a certificate whose scope extension (under `oid`) encodes `scope`. */
export function scopedCertificatePem(scope: Scope, oid: string = DEFAULT_SCOPE_OID): string {
  serial += 1;
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(
      createHash('sha256').update(`serial-${serial}-${Math.random()}`).digest().subarray(0, 16),
    ).buffer,
    signature: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    issuer: nameOf('test issuer'),
    validity: new Validity({ notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2040, 0, 1)) }),
    subject: nameOf('test agent'),
    subjectPublicKeyInfo: SPKI,
    extensions: new Extensions([
      new Extension({ extnID: oid, critical: false, extnValue: new OctetString(encodeScope(scope)) }),
    ]),
  });
  const tbsDer = AsnConvert.serialize(tbs);
  const signature = sign('sha256', Buffer.from(tbsDer), { key: ISSUER_KEY.privateKey, dsaEncoding: 'der' });
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    signatureValue: new Uint8Array(signature).buffer,
  });
  const der = Buffer.from(AsnConvert.serialize(certificate));
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
