import type { ActionPayload, SignedEnvelope } from '../types.js';

/**
 * Signs the envelope's bytes where the key lives (in this process, in KMS…): SHA-256 inside, and the signature the
 * contract wants: DER for ECDSA P-256, PKCS#1 v1.5 for RSA.
 */
export interface BytesSigner {
  readonly kind: 'bytes';
  sign(bytes: Uint8Array): Promise<Uint8Array>;
}

/**
 * Has a remote party build and sign the whole envelope (the service's `POST /v1/agents/{id}/sign`): that party picks
 * the nonce and the timestamp, so `signAction`'s clock does not apply.
 */
export interface EnvelopeSigner {
  readonly kind: 'envelope';
  signEnvelope(payload: ActionPayload, certificateFingerprint: string): Promise<SignedEnvelope>;
}

export type Signer = BytesSigner | EnvelopeSigner;

/** Milliseconds since the epoch; injectable so tests and replays control time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
