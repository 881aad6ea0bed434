/**
 * The application services the handlers call. Core implements them (src/core/ca, src/core/verification); handlers
 * depend only on these interfaces, so a handler can be tested with a fake and the core with fakes of the ports.
 */

import type { PublishedCrl } from '../ports.js';
import type { VerificationCode } from './errors.js';
import type {
  ActionOrigin,
  AgentRecord,
  CertificateRecord,
  KeySpec,
  RevocationReason,
  RiskBand,
  Scope,
} from './model.js';

export interface IssueCertificateRequest {
  tenantId: string;
  /** The subject agent (must be active). */
  agent: AgentRecord;
  /** Exactly one of the two; the CA applies the default of 30 days when both are absent. */
  validityDays?: number;
  validityHours?: number;
  /** As requested (already schema-validated at the edge); the CA normalises it (currency default "EUR"). */
  scope: Scope;
  /** Exactly one key binding: a PEM PKCS#10 request, or a key the service creates and holds. */
  csrPem?: string;
  keySpec?: Extract<KeySpec, 'ECC_NIST_P256' | 'RSA_2048'>;
  parentFingerprint?: string;
  /**
   * Called with the checked certificate after signing and before it is stored: the place to write the audit entry,
   * so that a certificate is never stored (and so never valid) without its audit record. If it throws, nothing is
   * stored and the error propagates.
   */
  beforeStore?: (record: CertificateRecord) => Promise<void>;
}

export interface IssuedCertificate {
  record: CertificateRecord;
  /** Issuing CA certificate then root, PEM. */
  chainPem: string;
}

export type CertificateState =
  | { valid: true; status: 'active' }
  | { valid: false; status: 'revoked'; reason: 'revoked' | 'parent_revoked' }
  | { valid: false; status: 'expired'; reason: 'expired' }
  | { valid: false; status: 'active'; reason: 'not_yet_valid' };

export interface CertificateAuthorityService {
  /** Creates the root CA on first use (idempotent; safe under races). */
  ensureRoot(): Promise<void>;
  /** Creates the tenant's issuing CA on first use (idempotent). */
  ensureTenant(tenantId: string): Promise<void>;
  /**
   * The issuance pipeline: key binding (CSR proof of possession or vault key) → template → scope validation →
   * sub-agent narrowing → sign through the vault → parse back and check → store.
   * Errors: INVALID_CSR, INVALID_REQUEST (field), SCOPE_EXCEEDS_PARENT, NOT_FOUND (parent), FORBIDDEN.
   */
  issue(request: IssueCertificateRequest): Promise<IssuedCertificate>;
  /** Current state of a certificate, taking every ancestor into account. NOT_FOUND if unknown. */
  state(tenantId: string, fingerprint: string): Promise<{ record: CertificateRecord; state: CertificateState }>;
  /** Idempotent; keeps the first time and reason. NOT_FOUND if unknown. */
  revoke(
    tenantId: string,
    fingerprint: string,
    reason: RevocationReason,
  ): Promise<{ revokedAt: number; reason: RevocationReason; changed: boolean }>;
  /** A newly signed DER CRL of the tenant's issuing CA, listing every revoked certificate and every descendant. */
  crl(tenantId: string): Promise<Uint8Array>;
  /**
   * The CRL to serve (`GET /v1/crl`): the published one while it covers every revocation recorded and has used less
   * than half its validity; otherwise a new one is signed and published first.
   */
  currentCrl(tenantId: string): Promise<PublishedCrl>;
  /** For the schedule: re-signs and publishes when due or behind a revocation; true when it signed. */
  refreshCrlIfDue(tenantId: string): Promise<boolean>;
  /** For the schedule: refreshes every published CRL that is due or behind a revocation. */
  refreshPublishedCrls(): Promise<{ tenants: number; signed: number; failed: string[] }>;
  /** Issuing CA then root, PEM. */
  chainPem(tenantId: string): Promise<string>;
}

export type VerificationResult =
  | {
      verified: true;
      agentId: string;
      fingerprint: string;
      riskScore: number;
      riskBand: RiskBand;
      auditId: string;
    }
  | {
      verified: false;
      error: { code: VerificationCode; message: string; field?: string };
      /** Present when the envelope named a known certificate (then the rejection was audited). */
      auditId?: string;
    };

export interface ActionVerifierService {
  /**
   * Runs docs/api.md §4's checks in order, audits before answering, publishes verified actions to the stream.
   * `envelope` is untrusted input: a malformed one throws KakuninError INVALID_REQUEST (with field).
   * A dependency failure throws DependencyError (503) and nothing is reported verified.
   */
  /** `origin`, when the verifier sent one, is audited with the verification (docs/api.md §4). */
  verify(tenantId: string, envelope: unknown, origin?: ActionOrigin): Promise<VerificationResult>;
}
