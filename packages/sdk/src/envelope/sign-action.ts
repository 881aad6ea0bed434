/**
 * `signAction` (docs/api.md §10): a complete §4 envelope with a CSPRNG nonce and a timestamp from the clock, signed over
 * JCS(envelope without signature).
 */
import { randomBytes } from 'node:crypto';
import { FINGERPRINT_PATTERN } from '../crypto/fingerprint.js';
import { invalidInput, KakuninError } from '../errors.js';
import { type Clock, type Signer, systemClock } from '../signers/signer.js';
import type { ActionPayload, SignedEnvelope } from '../types.js';
import { encodeBase64, encodeBase64Url } from './base64.js';
import { parsePayload, signedBytes } from './schema.js';

/** 16 random bytes (22 base64url characters): a collision between honest signers is negligible. */
export const NONCE_BYTES = 16;

export interface SignActionOptions {
  certificateFingerprint: string;
  signer: Signer;
  /** @default the system clock (`Date.now()`); ignored by signers that build the envelope remotely. */
  clock?: Clock;
}

/**
 * @example
 * const envelope = await signAction(
 *   { action: 'charge', amount: 9900, currency: 'EUR', counterparty: 'stripe' },
 *   { certificateFingerprint: cert.fingerprint, signer: localSigner(privateKeyPem) },
 * );
 * @throws KakuninError INVALID_REQUEST (with `field`) for a payload the verifier would refuse.
 */
export async function signAction(payload: ActionPayload, options: SignActionOptions): Promise<SignedEnvelope> {
  const checked = parsePayload(payload);
  const { certificateFingerprint, signer } = options;
  if (typeof certificateFingerprint !== 'string' || !FINGERPRINT_PATTERN.test(certificateFingerprint)) {
    throw invalidInput('certificateFingerprint must be sha256: + 64 lowercase hex digits', 'certificateFingerprint');
  }
  if (signer.kind === 'envelope') return signer.signEnvelope(checked, certificateFingerprint);
  const timestamp = (options.clock ?? systemClock).now();
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError('clock returned an invalid time');
  const envelope = {
    payload: checked,
    certificateFingerprint,
    timestamp,
    nonce: encodeBase64Url(randomBytes(NONCE_BYTES)),
  };
  let signature: Uint8Array;
  try {
    signature = await signer.sign(signedBytes(envelope));
  } catch (error) {
    if (error instanceof KakuninError) throw error;
    throw new KakuninError('UNAVAILABLE', 'signer failed', { cause: error });
  }
  return { ...envelope, signature: encodeBase64(signature) };
}
