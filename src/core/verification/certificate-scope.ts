/**
 * The scope a certificate itself carries (docs/api.md §3: the certificate is the source of truth for scope). The
 * verifier judges an action by this decoded extension, never by the copy stored beside the certificate: the copy is
 * only an index for humans and queries, and a store that was altered (or written by a buggy version) must not be able
 * to widen what the issuer signed. Parsed with the ASN.1 schema classes only (no X.509 library in the verifier's
 * bundle); the signature is not checked here, because the certificate came from the service's own registry under its
 * fingerprint, which is the SHA-256 of this very DER.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { DependencyError } from '../errors.js';
import type { Scope } from '../model.js';
import { decodeScope } from '../scope/scope-codec.js';

const PEM_BODY = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

/**
 * The decoded scope extension of a PEM certificate. A record whose certificate cannot be parsed, has no scope
 * extension, has two, or a malformed one cannot be judged: that is a broken store, and the verifier refuses to decide
 * (DependencyError → 503) rather than guess a scope.
 */
export function scopeOfCertificate(pem: string, scopeOid: string): Scope {
  const body = PEM_BODY.exec(pem)?.[1];
  if (body === undefined) throw new DependencyError('certificate record holds no PEM certificate');
  let certificate: Certificate;
  try {
    certificate = AsnConvert.parse(Buffer.from(body.replace(/\s/g, ''), 'base64'), Certificate);
  } catch (error) {
    throw new DependencyError('certificate record holds an unparseable certificate', error);
  }
  const found = (certificate.tbsCertificate.extensions ?? []).filter((extension) => extension.extnID === scopeOid);
  if (found.length !== 1) throw new DependencyError('certificate does not carry exactly one scope extension');
  try {
    return decodeScope(new Uint8Array(found[0]!.extnValue.buffer));
  } catch (error) {
    throw new DependencyError('certificate carries a malformed scope extension', error);
  }
}
