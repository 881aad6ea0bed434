/**
 * `OfflineVerifier` (contract §10): decides every §4 code it can without the service. Body lands in the next commit;
 * the constructor options and the answer shape are final.
 */
import type { NonceStore } from '../nonce/nonce-store.js';
import type { Clock } from '../signers/signer.js';
import type { OfflineVerifyResult, SignedEnvelope } from '../types.js';

export interface OfflineVerifierOptions {
  /** The pinned root CA certificate (PEM). */
  rootPem: string;
  /** The issuing CA certificate (PEM; the root may follow, as `GET /v1/ca/chain` answers). */
  chainPem: string;
  /** Fetches the issuing CA's current CRL (DER or PEM), e.g. `() => kakunin.ca.crl()`. */
  crl: () => Promise<Uint8Array | string>;
  /** A CRL older than this (from its thisUpdate) fails closed. @default 86_400_000 (24 h) */
  maxCrlAgeMs?: number;
  /** @default an in-memory LRU with TTL (lru-cache) */
  nonceStore?: NonceStore;
  /** @default the system clock */
  clock?: Clock;
  /** @default 300_000 (300 s either way, as the service) */
  timestampWindowMs?: number;
  /** OID of the scope extension. @default '1.3.6.1.4.1.32473.1.1' */
  scopeOid?: string;
}

export class OfflineVerifier {
  constructor(readonly options: OfflineVerifierOptions) {}

  async verify(_envelope: SignedEnvelope): Promise<OfflineVerifyResult> {
    throw new Error('OfflineVerifier.verify: not implemented yet');
  }
}
