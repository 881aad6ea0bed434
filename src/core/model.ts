/**
 * Domain records shared by core, adapters and handlers. Plain data: no methods, no AWS types.
 * Times are epoch milliseconds inside the system and RFC 3339 strings only at the HTTP edge.
 */

/**
 * The contract's scope (§3) and signed-action envelope (§4) are the SDK's types, and the default currency its constant:
 * one definition for what clients sign and what the service checks (docs/architecture.md, "Shared with the SDK").
 */
import type { ActionPayload, Scope } from '../../packages/sdk/src/types.js';

export { DEFAULT_CURRENCY } from '../../packages/sdk/src/scope/normalize-scope.js';
export type { ActionPayload, Scope, SignedEnvelope, UnsignedEnvelope } from '../../packages/sdk/src/types.js';

/** Agent ids (docs/api.md §1): `a_` + 16–64 of `[0-9a-z]`. Anything else names no agent (a path → 404, a cursor → 400). */
export const AGENT_ID_PATTERN = /^a_[0-9a-z]{16,64}$/;

export type AgentMode = 'observe' | 'enforce';
export type AgentStatus = 'active' | 'suspended';

export interface AgentRecord {
  tenantId: string;
  id: string;
  name: string;
  metadata: Record<string, unknown>;
  mode: AgentMode;
  warningThreshold: number;
  anomalyThreshold: number;
  status: AgentStatus;
  createdAt: number;
  parentAgentId?: string;
}

/** Key specs a service-held key may have (docs/api.md §3 allows ECC_NIST_P256 and RSA_2048 for agents). */
export type KeySpec = 'ECC_NIST_P256' | 'RSA_2048' | 'RSA_4096';
/** Every key the vault creates: the certificate keys, plus the Ed25519 key that signs ledger checkpoints. */
export type VaultKeySpec = KeySpec | 'ECC_NIST_EDWARDS25519';

/** The algorithm family of a certificate's public key; decides how action signatures are verified. */
export type PublicKeyAlgorithm = 'ECDSA_P256' | 'RSA';

export type RevocationReason = 'keyCompromise' | 'superseded' | 'cessationOfOperation' | 'anomaly' | 'unspecified';

export interface CertificateRecord {
  tenantId: string;
  /** `sha256:` + 64 lowercase hex of the DER. */
  fingerprint: string;
  /** Lowercase hex, 32 digits (16 random bytes). */
  serialNumber: string;
  agentId: string;
  pem: string;
  /** SPKI PEM of the subject key. */
  publicKeyPem: string;
  publicKeyAlgorithm: PublicKeyAlgorithm;
  scope: Scope;
  notBefore: number;
  notAfter: number;
  parentFingerprint?: string;
  /**
   * Fingerprints of every ancestor, nearest parent last. Stored on the record so that "is any ancestor revoked?"
   * is one batch read of known keys, however deep or wide the tree grows (see docs/adr).
   */
  ancestors: string[];
  /** Key held by the service's KeyVault (KMS key ARN when deployed); absent when the agent brought a CSR. */
  keyRef?: string;
  keySpec?: KeySpec;
  status: 'active' | 'revoked';
  revokedAt?: number;
  revocationReason?: RevocationReason;
  createdAt: number;
}

export type ApiKeyRole = 'admin' | 'verifier' | 'agent';

export interface ApiKeyRecord {
  tenantId: string;
  id: string;
  role: ApiKeyRole;
  agentId?: string;
  /** Lowercase hex SHA-256 of the full key; the key itself is never stored. */
  keyHash: string;
  createdAt: number;
}

/** The CA material of one tenant (its issuing CA) or of the deployment (the root). */
export interface CaRecord {
  /** KeyVault key id of the CA's signing key. */
  keyId: string;
  keySpec: KeySpec;
  certPem: string;
  fingerprint: string;
  notBefore: number;
  notAfter: number;
}

export interface TenantRecord {
  id: string;
  createdAt: number;
  issuingCa: CaRecord;
}

export type RiskBand = 'low' | 'medium' | 'high' | 'critical';

/** Contract §6: band edges are fixed. */
export function riskBand(score: number): RiskBand {
  if (score < 0.3) return 'low';
  if (score < 0.75) return 'medium';
  if (score < 0.85) return 'high';
  return 'critical';
}

/** Contract §6: one signal's share of a risk score, with what was observed and what the baseline expected. */
export interface RiskContribution {
  signal: string;
  weight: number;
  /** Share of the score in [0, 1]; the contributions of a score > 0 add up to 1. */
  value: number;
  observed: unknown;
  baseline: unknown;
  detail: string;
}

export interface RiskSnapshot {
  score: number;
  band: RiskBand;
  updatedAt: number;
  /** Largest first; absent where only the score is read (the verifier's hot path). */
  contributions?: RiskContribution[];
}

/**
 * Contract §4: where an action came from, as reported by the verifier (or the service's own view of the caller for
 * the sign route). Unsigned: a hint for monitoring, audited, never used to grant anything.
 */
export interface ActionOrigin {
  ip?: string;
  userAgent?: string;
  region?: string;
}

/**
 * Every security-relevant event is one of these (docs/api.md §7). `baseline.locked` and `webhook.created` are
 * appended by the monitoring and webhook routes through the same Ledger port.
 */
export type AuditType =
  | 'action.verified'
  | 'action.rejected'
  | 'action.signed'
  | 'certificate.issued'
  | 'certificate.revoked'
  | 'key.minted'
  | 'agent.created'
  | 'agent.updated'
  | 'agent.suspended'
  | 'agent.reactivated'
  | 'agent.settings_changed'
  | 'api_key.created'
  | 'baseline.locked'
  | 'webhook.created'
  | 'webhook.deleted'
  | 'webhook.replayed';

/** What a caller hands to the Ledger; the ledger assigns id, seq, createdAt and the hash links. */
export interface AuditEntryInput {
  tenantId: string;
  actorId: string;
  type: AuditType;
  errorCode?: string;
  payload?: unknown;
  signature?: string;
  certificateFingerprint?: string;
  nonce?: string;
  timestamp?: number;
  riskScore?: number;
  /** Where a verified action came from, as the verifier reported it (docs/api.md §4; not signed). */
  origin?: ActionOrigin;
}

/** `origin` of `POST /v1/actions/verify` (`{"envelope", "origin"}`): unsigned, audited, fed to monitoring. */
export interface ActionOrigin {
  ip?: string;
  userAgent?: string;
  region?: string;
}

/** An entry exactly as `GET /v1/audit` returns it and as its Merkle leaf hashes it (docs/api.md §7). */
export interface AuditEntry extends AuditEntryInput {
  id: string;
  /** From 0: the entry's leaf index in the tenant's Merkle tree. */
  seq: number;
  /** RFC 3339, UTC, millisecond precision. */
  createdAt: string;
  hash: string;
  prevHash: string;
}

/**
 * Handed to the ActionStream by a successful verification, beside (not after) its audit append; feeds the behavioural
 * pipeline. `actionId` identifies the action without the ledger: see `verifiedActionId`.
 */
export interface VerifiedAction {
  tenantId: string;
  agentId: string;
  certificateFingerprint: string;
  actionId: string;
  payload: ActionPayload;
  timestamp: number;
  verifiedAt: number;
  origin?: ActionOrigin;
}

export type EventType =
  | 'certificate.issued'
  | 'agent.pre_revocation_warning'
  | 'agent.certificate_revoked'
  | 'ledger.checkpoint_published';

/** Contract §5. */
export interface KakuninEvent {
  id: string;
  type: EventType;
  createdAt: string;
  tenantId: string;
  data: Record<string, unknown>;
}

/** Contract §6 `PUT /v1/agents/{id}/baseline`: the reference an agent is scored against until it is replaced. */
export interface BaselineLock {
  transaction_size?: { p50: number; p99: number };
  transactions_per_hour?: { p95: number };
  preferred_counterparties?: string[];
  active_hours?: [number, number][];
  lockedAt: number;
  lockedBy: string;
}

/** Contract §5 webhook subscription. The secret is stored because every delivery is signed with it. */
export interface WebhookSubscription {
  tenantId: string;
  id: string;
  url: string;
  /** Empty: every event type. */
  eventTypes: EventType[];
  /** `whsec_` + base64 of 32 random bytes. Never logged, shown once at creation. */
  secret: string;
  createdAt: number;
}

/** A delivery that exhausted its retries: kept until replayed, never dropped silently. */
export interface WebhookDeadLetter {
  tenantId: string;
  webhookId: string;
  /** The event id: replaying the same dead letter twice delivers the same `webhook-id`, so receivers dedupe. */
  eventId: string;
  event: KakuninEvent;
  attempts: number;
  firstAttemptAt: number;
  lastAttemptAt: number;
  lastError: string;
}
