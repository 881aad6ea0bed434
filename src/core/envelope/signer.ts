/**
 * Builds complete signed envelopes (docs/api.md §4). Used by the service's `POST /v1/agents/{id}/sign` with a key its
 * KeyVault holds, and by the SDK with a caller's own private key. Both paths produce what the verifier accepts:
 * ECDSA P-256 with SHA-256 and a DER signature, or RSASSA-PKCS1-v1_5 with SHA-256.
 *
 * @example
 * const envelope = await signEnvelope({
 *   payload: { action: 'charge', amount: 9900, currency: 'EUR' },
 *   certificateFingerprint: record.fingerprint,
 *   signer: vaultSigner(vault, record.keyRef, 'ECDSA_SHA_256'),
 *   clock, random,
 * });
 */
import { constants, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { Clock, KeyVault, Random, SigningAlgorithm } from '../../ports.js';
import { FINGERPRINT_PATTERN } from '../crypto/fingerprint.js';
import { agentKeyKind } from '../crypto/key-policy.js';
import { DependencyError, invalidRequest, KakuninError } from '../errors.js';
import type { ActionPayload, SignedEnvelope } from '../model.js';
import { encodeBase64, encodeBase64Url } from './base64.js';
import { parsePayload, signedBytes } from './schema.js';

/** Signs the given bytes (SHA-256 inside) and returns the signature: DER for ECDSA, PKCS#1 v1.5 for RSA. */
export type BytesSigner = (bytes: Uint8Array) => Promise<Uint8Array>;

/** 16 random bytes: 128 bits make a nonce collision between honest signers negligible. */
export const NONCE_BYTES = 16;

/** A signer backed by a KeyVault key (KMS when deployed); the private key never enters this process. */
export function vaultSigner(vault: KeyVault, keyId: string, algorithm: SigningAlgorithm): BytesSigner {
  return async (bytes) => {
    try {
      return await vault.sign(keyId, bytes, algorithm);
    } catch (error) {
      // Even a domain error from the vault (a key it cannot find) is a dependency failure here: the key reference
      // came from our own certificate record, so the caller did nothing wrong (503, never a 4xx).
      if (error instanceof DependencyError) throw error;
      throw new DependencyError('key vault unavailable', error);
    }
  };
}

function toPrivateKey(key: KeyObject | string): KeyObject {
  if (typeof key !== 'string') return key;
  try {
    return createPrivateKey(key);
  } catch {
    // Never echo the input: it is key material.
    throw invalidRequest('privateKey is not a readable PEM private key', 'privateKey');
  }
}

/**
 * A signer holding a caller's own private key (KeyObject or PEM). Only the key types a certificate may carry are
 * accepted (key-policy.ts): EC on P-256, and RSA (PKCS#1 v1.5 padding, not RSA-PSS keys) of 2048–4096 bits.
 */
export function privateKeySigner(key: KeyObject | string): BytesSigner {
  const privateKey = toPrivateKey(key);
  if (privateKey.type !== 'private') throw invalidRequest('a private key is required', 'privateKey');
  const kind = agentKeyKind(privateKey);
  if (kind === 'ECDSA_P256') {
    return async (bytes) => new Uint8Array(sign('sha256', bytes, { key: privateKey, dsaEncoding: 'der' }));
  }
  if (kind === 'RSA') {
    return async (bytes) =>
      new Uint8Array(sign('sha256', bytes, { key: privateKey, padding: constants.RSA_PKCS1_PADDING }));
  }
  if (privateKey.asymmetricKeyType === 'ec') throw invalidRequest('EC keys must be on P-256', 'privateKey');
  if (privateKey.asymmetricKeyType === 'rsa') {
    throw invalidRequest('RSA keys must have 2048-4096 bits and an odd exponent 2^16 < e < 2^256', 'privateKey');
  }
  throw invalidRequest('only ECDSA P-256 and RSA keys can sign actions', 'privateKey');
}

export interface SignEnvelopeInput {
  payload: ActionPayload;
  certificateFingerprint: string;
  signer: BytesSigner;
  clock: Clock;
  random: Random;
}

/**
 * Builds and signs a complete envelope: fresh nonce (16 random bytes, base64url, 22 characters), timestamp from the
 * clock, signature over JCS(envelope without signature). The payload is validated exactly as the verifier does
 * (INVALID_REQUEST with `field`, e.g. 'payload.action'), so the service never signs an envelope it would refuse.
 */
export async function signEnvelope(input: SignEnvelopeInput): Promise<SignedEnvelope> {
  const payload = parsePayload(input.payload);
  if (typeof input.certificateFingerprint !== 'string' || !FINGERPRINT_PATTERN.test(input.certificateFingerprint)) {
    throw invalidRequest('certificateFingerprint must be sha256: + 64 lowercase hex digits', 'certificateFingerprint');
  }
  const randomBytes = input.random.bytes(NONCE_BYTES);
  if (randomBytes.length !== NONCE_BYTES) throw new DependencyError('random source returned the wrong length');
  const timestamp = input.clock.now();
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new DependencyError('clock returned an invalid time');
  const envelope = {
    payload,
    certificateFingerprint: input.certificateFingerprint,
    timestamp,
    nonce: encodeBase64Url(randomBytes),
  };
  let signature: Uint8Array;
  try {
    signature = await input.signer(signedBytes(envelope));
  } catch (error) {
    if (error instanceof KakuninError) throw error;
    throw new DependencyError('signer failed', error);
  }
  return { ...envelope, signature: encodeBase64(signature) };
}
