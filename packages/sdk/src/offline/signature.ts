/** Action signature check with node:crypto (docs/api.md §4): ECDSA P-256/SHA-256 DER, or RSASSA-PKCS1-v1_5/SHA-256. */
import { constants, type KeyObject, verify } from 'node:crypto';

export type KeyKind = 'ECDSA_P256' | 'RSA';

export function keyKind(key: KeyObject): KeyKind | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return 'ECDSA_P256';
  const bits = details.modulusLength ?? 0;
  if (key.asymmetricKeyType === 'rsa' && bits >= 2048 && bits <= 4096) return 'RSA';
  return undefined;
}

export function verifyActionSignature(key: KeyObject, kind: KeyKind, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return kind === 'ECDSA_P256'
      ? verify('sha256', data, { key, dsaEncoding: 'der' }, signature)
      : verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false; // malformed DER and the like: an invalid signature, never a crash
  }
}
