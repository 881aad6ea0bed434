/** Requests and answers of the routes of docs/api.md §2–§7, as the client sends and returns them. */
import type { RiskBand, Scope } from '../types.js';

export type AgentMode = 'observe' | 'enforce';
export type AgentStatus = 'active' | 'suspended';
export type ApiKeyRole = 'admin' | 'verifier' | 'agent';
export type RevocationReason = 'keyCompromise' | 'superseded' | 'cessationOfOperation' | 'anomaly' | 'unspecified';
export type KeySpec = 'ECC_NIST_P256' | 'RSA_2048';

export interface CreateAgentRequest {
  /** 1–64 of [A-Za-z0-9._-]; becomes the certificate's CN. */
  name: string;
  metadata?: Record<string, unknown>;
  /** @default 'observe' */
  mode?: AgentMode;
  /** 0..1 @default 0.75 */
  warningThreshold?: number;
  /** 0..1 @default 0.85 */
  anomalyThreshold?: number;
}

export interface Agent {
  id: string;
  name: string;
  metadata: Record<string, unknown>;
  mode: AgentMode;
  warningThreshold: number;
  anomalyThreshold: number;
  status: AgentStatus;
  createdAt: string;
  parentAgentId?: string;
}

export type UpdateAgentRequest = Partial<
  Pick<Agent, 'mode' | 'warningThreshold' | 'anomalyThreshold' | 'metadata' | 'status'>
>;

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface ListParams {
  limit?: number;
  cursor?: string;
}

/** Contract §3. `validityDays` or `validityHours`, not both; `csr` or `keySpec`, not both. */
export interface CertificateRequest {
  scope: Scope;
  validityDays?: number;
  validityHours?: number;
  keySpec?: KeySpec;
  /** PEM PKCS#10 for an ECDSA P-256 or RSA 2048–4096 key. */
  csr?: string;
  parentFingerprint?: string;
}

export interface IssuedCertificate {
  fingerprint: string;
  serialNumber: string;
  agentId: string;
  pem: string;
  /** Issuing CA then root. */
  chainPem: string;
  notBefore: string;
  notAfter: string;
  scope: Scope;
  parentFingerprint?: string;
  /** Present when the service holds the key. */
  keyRef?: string;
  /** `keyRef` when it is a KMS key ARN (deployed service): sign with `kmsSigner({ keyId: kmsKeyArn })`. */
  kmsKeyArn?: string;
}

/** `GET /v1/certificates/{fingerprint}`. */
export interface CertificateStatus {
  valid: boolean;
  status: 'active' | 'revoked' | 'expired';
  reason?: 'revoked' | 'parent_revoked' | 'expired' | 'not_yet_valid';
  agentId: string;
  fingerprint: string;
  serialNumber: string;
  /** SPKI PEM. */
  publicKey: string;
  scope: Scope;
  notBefore: string;
  notAfter: string;
  parentFingerprint?: string;
  revokedAt?: string;
  revocationReason?: RevocationReason;
}

export interface Revocation {
  status: 'revoked';
  revokedAt: string;
}

export interface CreateApiKeyRequest {
  role: ApiKeyRole;
  agentId?: string;
}

export interface ApiKey {
  id: string;
  role: ApiKeyRole;
  agentId?: string;
  /** Shown once. */
  key: string;
}

/** `window` of the stats route: `1h` … `30d`. */
export type StatsWindow = `${number}h` | `${number}d`;
export type StatsMetric = 'transaction_size' | 'frequency' | 'counterparty_distribution' | 'hour_of_day';

export interface CounterpartyShare {
  counterparty: string;
  count: number;
  share: number;
}

/** The largest-first distribution of docs/api.md §6, with `top(n)`: the names of the n largest counterparties. */
export type CounterpartyDistribution = CounterpartyShare[] & { top(n: number): string[] };

/** Contract §6. `frequency.p95` is an alias of `frequency.per_hour.p95` (the product guide reads it so). */
export interface AgentStats {
  window: string;
  count: number;
  transaction_size: { p50: number; p95: number; p99: number; max: number };
  frequency: { per_hour: { p50: number; p95: number; max: number }; readonly p95: number };
  counterparty_distribution: CounterpartyDistribution;
  hour_of_day: { counts: number[]; activePeriods: [number, number][] };
}

export interface Baseline {
  transaction_size?: { p50: number; p99: number };
  transactions_per_hour?: { p95: number };
  preferred_counterparties?: string[];
  active_hours?: [number, number][];
}

export type StoredBaseline = Baseline & { locked: true; [field: string]: unknown };

export interface RiskContribution {
  signal: string;
  weight: number;
  value: number;
  observed: unknown;
  baseline: unknown;
  detail: string;
}

export interface Risk {
  score: number;
  band: RiskBand;
  contributions: RiskContribution[];
  updatedAt: string;
}

export type EventType = 'certificate.issued' | 'agent.pre_revocation_warning' | 'agent.certificate_revoked';

export interface CreateWebhookRequest {
  url: string;
  eventTypes?: EventType[];
}

export interface Webhook {
  id: string;
  url: string;
  eventTypes: EventType[];
  /** `whsec_` + base64 of 32 bytes; shown once. */
  secret: string;
}

/** `GET /v1/webhooks` items: never the secret. */
export interface WebhookSummary {
  id: string;
  url: string;
  eventTypes: EventType[];
  createdAt: string;
}

/** `POST /v1/webhooks/{id}/replay`: at most 25 dead letters per call; `remaining` are left for another call. */
export interface WebhookReplay {
  delivered: number;
  failed: number;
  remaining: number;
}

export interface AuditListParams extends ListParams {
  actorId?: string;
  /** One entry type (docs/api.md §7), e.g. `certificate.revoked`. */
  type?: string;
  /** RFC 3339 or Date. */
  from?: string | Date;
  to?: string | Date;
}

export interface AuditEntry {
  id: string;
  seq: number;
  createdAt: string;
  actorId: string;
  type: string;
  errorCode?: string;
  payload?: Record<string, unknown>;
  signature?: string;
  certificateFingerprint?: string;
  nonce?: string;
  timestamp?: number;
  riskScore?: number;
  hash: string;
  prevHash: string;
  [field: string]: unknown;
}

export type AuditVerification =
  | { valid: true; entries: number; head: { seq: number; hash: string } }
  | { valid: false; firstInvalidSeq: number; [field: string]: unknown };

export interface InclusionProof {
  entry: AuditEntry;
  index: number;
  treeSize: number;
  /** Base64 hashes, RFC 9162 §2.1.3. */
  inclusionProof: string[];
  /** Signed-note text. */
  checkpoint: string;
}

export interface ConsistencyProof {
  from: number;
  to: number;
  consistencyProof: string[];
}
