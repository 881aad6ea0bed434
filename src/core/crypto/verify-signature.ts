/**
 * Action-signature verification (contract §4). The algorithm comes from the certificate's key, never from the
 * input: an EC P-256 key verifies ECDSA-SHA256 with a DER signature; an RSA key verifies RSASSA-PKCS1-v1_5-SHA256.
 * Anything else (other curves, RSA-PSS keys, Ed25519, RSA under 2048 bits) is refused: fail closed.
 */
import { constants, createPublicKey, type KeyObject, verify } from 'node:crypto';

export type VerificationKey = KeyObject | string | Uint8Array;

function toKeyObject(key: VerificationKey): KeyObject {
  if (typeof key === 'string') return createPublicKey(key);
  if (key instanceof Uint8Array) return createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' });
  return key;
}

/** Returns true only for a valid signature by `publicKey` over `data`; never throws on bad signatures. */
export function verifySignature(publicKey: VerificationKey, data: Uint8Array, signature: Uint8Array): boolean {
  let key: KeyObject;
  try {
    key = toKeyObject(publicKey);
  } catch {
    return false;
  }
  try {
    if (key.asymmetricKeyType === 'ec') {
      if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return false;
      return verify('sha256', data, { key, dsaEncoding: 'der' }, signature);
    }
    if (key.asymmetricKeyType === 'rsa') {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < 2048 || bits > 4096) return false;
      return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
    return false;
  } catch {
    return false;
  }
}
