/**
 * Re-parses a freshly signed agent certificate and checks it against what was asked for before anyone sees it
 * (SPIRE does the same). A failure here means the signer or the library misbehaved (e.g. an ECDSA signature left in
 * DER form): the certificate is discarded and the request fails with 503, nothing is stored.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
} from '@peculiar/x509';
import { DependencyError } from '../errors.js';
import type { Scope } from '../model.js';
import { encodeScope } from '../scope/scope-codec.js';
import { readScope } from '../scope/scope-extension.js';
import { agentUri } from './certificate-profiles.js';

export interface ExpectedAgentCertificate {
  serialNumber: string;
  agentId: string;
  agentName: string;
  spki: Uint8Array;
  scope: Scope;
  scopeOid: string;
  notBefore: number;
  notAfter: number;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** Returns the parsed certificate when every check passes; throws DependencyError otherwise. */
export async function checkIssuedCertificate(
  der: Uint8Array<ArrayBuffer>,
  issuer: X509Certificate,
  expected: ExpectedAgentCertificate,
): Promise<X509Certificate> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (error) {
    throw new DependencyError('issued certificate does not parse', error);
  }
  const crypto = webcrypto as Crypto;
  check(await cert.verify({ publicKey: issuer, signatureOnly: true }, crypto), 'issuer signature');
  check(cert.issuer === issuer.subject, 'issuer name');
  check(cert.serialNumber === expected.serialNumber, 'serial number');
  check(cert.subjectName.getField('CN').join() === expected.agentName, 'subject CN');
  check(sameBytes(new Uint8Array(cert.publicKey.rawData), expected.spki), 'subject public key');
  check(cert.notBefore.getTime() === expected.notBefore && cert.notAfter.getTime() === expected.notAfter, 'validity');
  check(cert.notAfter.getTime() <= issuer.notAfter.getTime(), 'validity nesting');
  const basic = cert.getExtension(BasicConstraintsExtension);
  check(basic !== null && !basic.ca, 'basicConstraints CA:FALSE');
  const usage = cert.getExtension(KeyUsagesExtension);
  check(usage?.critical === true && usage.usages === KeyUsageFlags.digitalSignature, 'keyUsage');
  const san = cert.getExtension(SubjectAlternativeNameExtension);
  const uris = san?.names.items.filter((name) => name.type === 'url').map((name) => name.value) ?? [];
  check(uris.length === 1 && uris[0] === agentUri(expected.agentId), 'subjectAltName URI');
  const aki = cert.getExtension(AuthorityKeyIdentifierExtension);
  const issuerSki = issuer.getExtension(SubjectKeyIdentifierExtension);
  check(aki?.keyId !== undefined && aki.keyId === issuerSki?.keyId, 'authorityKeyIdentifier');
  check(cert.getExtension(SubjectKeyIdentifierExtension) !== null, 'subjectKeyIdentifier');
  check(cert.getExtension(CRLDistributionPointsExtension) !== null, 'cRLDistributionPoints');
  try {
    const scope = readScope(cert, expected.scopeOid);
    check(scope !== undefined && sameBytes(encodeScope(scope), encodeScope(expected.scope)), 'scope');
  } catch {
    check(false, 'scope decodes');
  }
  if (failures.length > 0) throw new DependencyError(`issued certificate failed its checks: ${failures.join(', ')}`);
  return cert;
}
