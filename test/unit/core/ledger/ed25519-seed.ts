/** A node:crypto Ed25519 private key from a raw 32-byte seed (RFC 8410 PKCS#8 around it), for known-answer tests. */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';

export function ed25519FromSeed(seed: Uint8Array): KeyObject {
  const prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({ key: Buffer.concat([prefix, seed]), format: 'der', type: 'pkcs8' });
}

export const ed25519Signer = (key: KeyObject) => async (message: Uint8Array) =>
  new Uint8Array(sign(null, message, key));
