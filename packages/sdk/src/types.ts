/** Shapes of the external contract (docs/api.md, docs/api.md §2–§7) as the SDK's public types. */
import type { VerificationCode } from './errors.js';

/** Contract §3. An absent field places no limit; an empty list allows nothing. */
export interface Scope {
  maxTransactionSize?: number;
  /** ISO 4217; the issuer normalises an absent currency to "EUR". */
  currency?: string;
  allowedCounterparties?: string[];
  allowedActions?: string[];
  allowedRegions?: string[];
  maxTransactionsPerHour?: number;
  maxDailyVolume?: number;
}

/** Contract §4: a JSON object with a string `action`; other fields are the caller's. */
export interface ActionPayload {
  action: string;
  amount?: number;
  currency?: string;
  counterparty?: string;
  region?: string;
  [field: string]: unknown;
}

export interface UnsignedEnvelope {
  payload: ActionPayload;
  certificateFingerprint: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** 16–128 characters of [A-Za-z0-9_-]. */
  nonce: string;
}

export interface SignedEnvelope extends UnsignedEnvelope {
  /** Standard base64 of a DER ECDSA or PKCS#1 v1.5 RSA signature over JCS(envelope without signature). */
  signature: string;
}

/** Where a verified action came from (docs/api.md §4); not signed, audited and fed to monitoring. */
export interface ActionOrigin {
  ip?: string;
  userAgent?: string;
  region?: string;
}

export interface VerificationError {
  code: VerificationCode | (string & {});
  message: string;
  field?: string;
}

/** Contract §4 answer of `POST /v1/actions/verify`, 200 or 403. */
export type VerifyResult =
  | {
      verified: true;
      agentId: string;
      fingerprint: string;
      riskScore: number;
      riskBand: RiskBand;
      auditId: string;
    }
  | { verified: false; error: VerificationError };

/** What the offline verifier could not decide without the service (docs/api.md §10): always false. */
export interface OfflineChecks {
  agentStatus: false;
  velocity: false;
  risk: false;
}

/** The offline verifier's answer: the §4 shape for every code it can decide, plus `checks`. */
export type OfflineVerifyResult =
  | {
      verified: true;
      agentId: string;
      fingerprint: string;
      /** The scope read from the certificate's own extension. */
      scope: Scope;
      checks: OfflineChecks;
    }
  | { verified: false; error: VerificationError; checks: OfflineChecks };

export type RiskBand = 'low' | 'medium' | 'high' | 'critical';
