/**
 * Signs with a node:crypto private key, producing exactly what KMS `Sign` returns for the same key: ECDSA over
 * SHA-256 as DER, RSA as RSASSA-PKCS1-v1_5 over SHA-256, Ed25519 as PureEdDSA over the message itself (KMS
 * ED25519_SHA_512, MessageType RAW). The algorithm must match the key; a mismatch is refused, as KMS does.
 */
import { constants, type KeyObject, sign } from 'node:crypto';
import { KakuninError } from '../../core/errors.js';
import type { VaultKeySpec } from '../../core/model.js';
import type { SigningAlgorithm } from '../../ports.js';

/** KMS signs at most 4096 bytes with MessageType RAW (the only mode for Ed25519); every vault keeps the same cap. */
export const KMS_RAW_MESSAGE_LIMIT = 4096;

export function signMessage(
  spec: VaultKeySpec,
  privateKey: KeyObject,
  message: Uint8Array,
  algorithm: SigningAlgorithm,
) {
  if (spec === 'ECC_NIST_EDWARDS25519') {
    if (algorithm !== 'ED25519') throw new KakuninError('INVALID_REQUEST', 'an Ed25519 key signs ED25519 only');
    if (message.length > KMS_RAW_MESSAGE_LIMIT) {
      throw new KakuninError('INVALID_REQUEST', `an Ed25519 message is at most ${KMS_RAW_MESSAGE_LIMIT} bytes`);
    }
    return new Uint8Array(sign(null, message, privateKey));
  }
  if (spec === 'ECC_NIST_P256') {
    if (algorithm !== 'ECDSA_SHA_256') throw new KakuninError('INVALID_REQUEST', 'an ECC key signs ECDSA_SHA_256 only');
    return new Uint8Array(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }));
  }
  if (algorithm !== 'RSASSA_PKCS1_V1_5_SHA_256') {
    throw new KakuninError('INVALID_REQUEST', 'an RSA key signs RSASSA_PKCS1_V1_5_SHA_256 only');
  }
  return new Uint8Array(sign('sha256', message, { key: privateKey, padding: constants.RSA_PKCS1_PADDING }));
}
