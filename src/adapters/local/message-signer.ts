/**
 * Signs SHA-256(message) with a node:crypto private key, producing exactly what KMS `Sign` returns for the same key:
 * ECDSA as DER, RSA as RSASSA-PKCS1-v1_5. The algorithm must match the key; a mismatch is refused, as KMS does.
 */
import { constants, type KeyObject, sign } from 'node:crypto';
import { KakuninError } from '../../core/errors.js';
import type { KeySpec } from '../../core/model.js';
import type { SigningAlgorithm } from '../../ports.js';

export function signMessage(spec: KeySpec, privateKey: KeyObject, message: Uint8Array, algorithm: SigningAlgorithm) {
  if (spec === 'ECC_NIST_P256') {
    if (algorithm !== 'ECDSA_SHA_256') throw new KakuninError('INVALID_REQUEST', 'an ECC key signs ECDSA_SHA_256 only');
    return new Uint8Array(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }));
  }
  if (algorithm !== 'RSASSA_PKCS1_V1_5_SHA_256') {
    throw new KakuninError('INVALID_REQUEST', 'an RSA key signs RSASSA_PKCS1_V1_5_SHA_256 only');
  }
  return new Uint8Array(sign('sha256', message, { key: privateKey, padding: constants.RSA_PKCS1_PADDING }));
}
