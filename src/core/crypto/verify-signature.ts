/**
 * Action-signature verification (docs/api.md §4). The algorithm comes from the certificate's key, never from the
 * input: an EC P-256 key verifies ECDSA-SHA256 with a DER signature; an RSA key verifies RSASSA-PKCS1-v1_5-SHA256.
 * Anything else (other curves, RSA-PSS keys, Ed25519, RSA outside 2048–4096 bits or with an insane public exponent
 * such as e = 1, which makes every signature forgeable) is refused: fail closed (key-policy.ts).
 */
import { constants, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { agentKeyKind } from './key-policy.js';

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
    const kind = agentKeyKind(key);
    if (kind === 'ECDSA_P256') return verify('sha256', data, { key, dsaEncoding: 'der' }, signature);
    if (kind === 'RSA') return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return false;
  } catch {
    return false;
  }
}
