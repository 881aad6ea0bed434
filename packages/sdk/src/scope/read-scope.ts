/**
 * The scope from a certificate's own extension (docs/api.md §3; ASN.1 module docs/asn1/kakunin-scope.asn). Reads the raw
 * extension by OID instead of registering a class in @peculiar/x509's global ExtensionFactory, so importing the SDK
 * changes nothing for other users of that library in the same process.
 */
import type { X509Certificate } from '@peculiar/x509';
import { KakuninError } from '../errors.js';
import type { Scope } from '../types.js';
import { decodeScope } from './scope-codec.js';

/** `1.3.6.1.4.1.32473.1.1`: under PEN 32473, reserved for documentation (RFC 5612); operators may configure theirs. */
export const DEFAULT_SCOPE_OID = '1.3.6.1.4.1.32473.1.1';

const OID_PATTERN = /^[0-2](\.(0|[1-9][0-9]{0,14}))+$/;

export function assertOid(oid: string): void {
  if (!OID_PATTERN.test(oid)) throw new TypeError(`not a dotted OID: ${oid}`);
}

/**
 * Undefined when the certificate has no scope extension (a verifier then grants nothing: the caller decides); throws
 * KakuninError INVALID_REQUEST when present twice, critical, or not the canonical DER of a valid scope.
 */
export function readScope(certificate: X509Certificate, oid: string = DEFAULT_SCOPE_OID): Scope | undefined {
  const found = certificate.extensions.filter((extension) => extension.type === oid);
  if (found.length > 1) throw new KakuninError('INVALID_REQUEST', 'duplicate scope extension', { field: 'scope' });
  const [extension] = found;
  if (extension === undefined) return undefined;
  if (extension.critical) throw new KakuninError('INVALID_REQUEST', 'scope extension must be non-critical');
  return decodeScope(new Uint8Array(extension.value));
}
