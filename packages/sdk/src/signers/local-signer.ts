/**
 * A signer holding the agent's own private key in this process (a CSR-issued certificate). Only key types a
 * certificate may carry are accepted (docs/api.md §3): EC on P-256, RSA of 2048–4096 bits.
 */
import { constants, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { invalidInput } from '../errors.js';
import type { BytesSigner } from './signer.js';

function readPrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    // Never echo the input: it is key material.
    throw invalidInput('privateKeyPem is not a readable PEM private key', 'privateKeyPem');
  }
}

/**
 * @example
 * const signer = localSigner(readFileSync('agent-key.pem', 'utf8'));
 * const envelope = await signAction({ action: 'charge', amount: 9900, currency: 'EUR' }, { certificateFingerprint, signer });
 */
export function localSigner(privateKeyPem: string): BytesSigner {
  const key = readPrivateKey(privateKeyPem);
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve !== 'prime256v1') throw invalidInput('EC keys must be on P-256', 'privateKeyPem');
    return {
      kind: 'bytes',
      sign: async (bytes) => new Uint8Array(sign('sha256', bytes, { key, dsaEncoding: 'der' })),
    };
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < 2048 || bits > 4096) throw invalidInput('RSA keys must have 2048-4096 bits', 'privateKeyPem');
    return {
      kind: 'bytes',
      sign: async (bytes) => new Uint8Array(sign('sha256', bytes, { key, padding: constants.RSA_PKCS1_PADDING })),
    };
  }
  throw invalidInput('only ECDSA P-256 and RSA keys can sign actions', 'privateKeyPem');
}
