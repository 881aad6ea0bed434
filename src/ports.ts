/**
 * The interfaces core needs. Core never imports an adapter; adapters (aws/, local/, memory/) implement these.
 * Every method may reject with a DependencyError (→ 503, no effect); core fails closed on any rejection.
 */

import type { StoredLogCheck } from './core/ledger/stored-log-check.js';
import type {
  AgentRecord,
  ApiKeyRecord,
  AuditEntry,
  AuditEntryInput,
  BaselineLock,
  CaRecord,
  CertificateRecord,
  KakuninEvent,
  RevocationReason,
  RiskSnapshot,
  TenantRecord,
  VaultKeySpec,
  VerifiedAction,
  WebhookDeadLetter,
  WebhookSubscription,
} from './core/model.js';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Random {
  bytes(length: number): Uint8Array;
}

/** `ED25519`: PureEdDSA over the message itself (KMS `ED25519_SHA_512` with `MessageType: 'RAW'`). */
export type SigningAlgorithm = 'ECDSA_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_256' | 'ED25519';

export interface KeyTags {
  tenantId: string;
  /** What the key is for: the deployment's root CA, a tenant's issuing CA, or one agent. */
  purpose: 'root-ca' | 'issuing-ca' | 'agent' | 'checkpoint';
  agentId?: string;
}

/**
 * An asymmetric signing key store whose private keys never leave it (AWS KMS when deployed).
 * `sign` takes the message and signs its SHA-256 digest: the KMS adapter hashes locally and sends only the digest
 * (`MessageType: 'DIGEST'`, so no 4 KiB RAW cap and the message never leaves the process). ECDSA signatures come back
 * DER-encoded, exactly as KMS returns them; callers that need raw r‖s (WebCrypto, @peculiar/x509) convert with
 * core/crypto/ecdsa-format. (A digest-in port was tried first: node:crypto cannot ECDSA-sign a precomputed digest.)
 */
export interface KeyVault {
  /** Creates a SIGN_VERIFY key and returns its id (a KMS key ARN when deployed). */
  createKey(spec: VaultKeySpec, tags: KeyTags): Promise<string>;
  /** SubjectPublicKeyInfo DER of the key. */
  getPublicKey(keyId: string): Promise<Uint8Array>;
  sign(keyId: string, message: Uint8Array, algorithm: SigningAlgorithm): Promise<Uint8Array>;
  /**
   * Disposes of a key nothing will use (an issuance that failed after creating it): KMS schedules its deletion after
   * the shortest waiting period (7 days, cancellable), the local vaults delete it. An unknown key is not an error.
   */
  scheduleDeletion(keyId: string): Promise<void>;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface AgentStore {
  /** Fails with CONFLICT if the id exists. */
  create(agent: AgentRecord): Promise<void>;
  get(tenantId: string, id: string): Promise<AgentRecord | undefined>;
  list(tenantId: string, limit: number, cursor?: string): Promise<Page<AgentRecord>>;
  /** Replaces the mutable fields; NOT_FOUND if absent. Returns the stored record. */
  update(
    tenantId: string,
    id: string,
    patch: Partial<Pick<AgentRecord, 'mode' | 'warningThreshold' | 'anomalyThreshold' | 'metadata' | 'status'>>,
  ): Promise<AgentRecord>;
}

export interface RevocationResult {
  /** The first revocation's time and reason: revocation is idempotent and never rewritten. */
  revokedAt: number;
  reason: RevocationReason;
  /** True when this call made the revocation, false when it was already revoked. */
  changed: boolean;
}

export interface CertificateStore {
  /** Conditional on the fingerprint being new. */
  put(record: CertificateRecord): Promise<void>;
  get(tenantId: string, fingerprint: string): Promise<CertificateRecord | undefined>;
  /** One batch read; unknown fingerprints are simply absent from the result. */
  getMany(tenantId: string, fingerprints: string[]): Promise<CertificateRecord[]>;
  /** Conditional write: a revoked certificate never becomes active again. NOT_FOUND if absent. */
  revoke(tenantId: string, fingerprint: string, reason: RevocationReason, at: number): Promise<RevocationResult>;
  listChildren(tenantId: string, parentFingerprint: string): Promise<CertificateRecord[]>;
  listByAgent(tenantId: string, agentId: string): Promise<CertificateRecord[]>;
  /** Certificates revoked directly (not their descendants): the CRL builder expands descendants itself. */
  listRevoked(tenantId: string): Promise<CertificateRecord[]>;
  /**
   * The verification read: ONE strongly consistent read (a single BatchGetItem in the single-table DynamoDB design) of
   * the only MUTABLE state a verification depends on: the status of each listed certificate (the certificate and every
   * ancestor certificate) and the status and monitoring settings of each listed agent (the certificate's agent and
   * every ancestor agent). The rest of a certificate record, and an agent's place in the tree, never change, so a
   * verifier caches those per process and calls only this on every request; nothing here may be cached, so a
   * revocation or a suspension anywhere up the chain is seen by the very next verification. Unknown fingerprints and
   * agents are simply absent from the answer. Keep it one read: state the verifier needs later belongs in this same
   * batch, as another key list and another answer field. So the current risk score of each agent in `riskAgentIds`
   * (kept by the behavioural consumer on the monitoring table) is read in the same BatchGetItem; a store that cannot
   * read risk must fail (never answer without `risks` when they were asked for: a missing score must not read as 0).
   */
  readVerificationState(tenantId: string, keys: VerificationStateKeys): Promise<VerificationState>;
}

/** What `CertificateStore.readVerificationState` reads. Order is irrelevant; duplicates are allowed. */
export interface VerificationStateKeys {
  fingerprints: string[];
  agentIds: string[];
  /** Agents whose current risk score to read with the rest (the verifier asks for the certificate's own agent). */
  riskAgentIds?: string[];
}

/** An agent's current risk score as the verifier reads it (the score only; contributions stay on the item). */
export interface AgentRisk {
  tenantId: string;
  agentId: string;
  score: number;
}

/** What a verification needs of a certificate's current state. */
export type CertificateStatus = Pick<CertificateRecord, 'tenantId' | 'fingerprint' | 'status'>;

/** What a verification needs of an agent's current state: status, monitoring settings and place in the tree. */
export type AgentState = Pick<
  AgentRecord,
  'tenantId' | 'id' | 'status' | 'mode' | 'warningThreshold' | 'anomalyThreshold' | 'parentAgentId'
>;

/** The mutable state behind one verification (see `CertificateStore.readVerificationState`). */
export interface VerificationState {
  certificates: CertificateStatus[];
  /** Every requested agent that exists, in no particular order. */
  agents: AgentState[];
  /**
   * Present whenever `riskAgentIds` was given: the score of each of those agents that has one. An agent absent here
   * has no score yet (a new agent: 0).
   */
  risks?: AgentRisk[];
}

export interface ApiKeyStore {
  put(record: ApiKeyRecord): Promise<void>;
  getByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
}

/** A signed CRL as published: the DER and what serving and republishing it need. */
export interface PublishedCrl {
  der: Uint8Array;
  crlNumber: bigint;
  /** Epoch ms (whole seconds). */
  thisUpdate: number;
  nextUpdate: number;
  /** The tenant's CRL revision (CaStore.crlRevision) read before this CRL listed the revocations. */
  revision: bigint;
}

/** Where each tenant's current CRL is kept (the artifact bucket deployed, the data directory locally). */
export interface CrlStore {
  get(tenantId: string): Promise<PublishedCrl | undefined>;
  /** Stores `crl` unless the stored CRL has an equal or higher number (a slow writer never replaces a newer CRL). */
  put(tenantId: string, crl: PublishedCrl): Promise<void>;
  /** Tenants with a published CRL (the schedule keeps these fresh). */
  tenants(): Promise<string[]>;
}

export interface CaStore {
  getRoot(): Promise<CaRecord | undefined>;
  /** Conditional: returns the stored root, which is the argument unless another writer won the race. */
  putRoot(root: CaRecord): Promise<CaRecord>;
  getTenant(tenantId: string): Promise<TenantRecord | undefined>;
  /** Conditional on the tenant being new; returns the stored record (the winner of a race). */
  putTenant(tenant: TenantRecord): Promise<TenantRecord>;
  /** Atomically increments and returns the tenant's CRL number (first call returns 1). */
  nextCrlNumber(tenantId: string): Promise<bigint>;
  /** The tenant's CRL revision: 0 before the first revocation, then the number of revocation requests recorded. */
  crlRevision(tenantId: string): Promise<bigint>;
  /** Atomically increments the CRL revision; called after a revocation is stored (a published CRL is then stale). */
  bumpCrlRevision(tenantId: string): Promise<bigint>;
}

export interface NonceStore {
  /**
   * Claims `nonce` for `fingerprint`. Resolves true for exactly one of any number of concurrent claims of the same
   * pair; false if it was claimed before and has not expired. `expiresAt` is epoch ms.
   */
  claim(tenantId: string, fingerprint: string, nonce: string, now: number, expiresAt: number): Promise<boolean>;
}

/** One certificate's velocity limits (from its own scope extension). */
export interface VelocityLevel {
  fingerprint: string;
  maxTransactionsPerHour?: number;
  maxDailyVolume?: number;
}

export interface VelocityRequest {
  tenantId: string;
  /** Epoch ms of the verification (the verifier's clock). */
  at: number;
  /** Adds to the UTC day's volume of every level with a day limit, when present. */
  amount?: number;
  /**
   * The certificate and every ancestor certificate that declares a limit, ROOT FIRST, the certificate itself last
   * (docs/api.md §3: velocity limits bind the subtree).
   */
  levels: VelocityLevel[];
}

export type VelocityResult =
  | { ok: true }
  | {
      ok: false;
      limit: 'maxTransactionsPerHour' | 'maxDailyVolume';
      /** The certificate whose counter had no room. */
      fingerprint: string;
    };

export interface VelocityStore {
  /**
   * Counts one transaction (and its amount) at EVERY level if, and only if, no level's limit would be exceeded; atomic
   * across concurrent verifiers, so they can never overshoot any counter together. A refused request consumes nothing
   * at any level (docs/adr/0005).
   */
  consume(request: VelocityRequest): Promise<VelocityResult>;
  /**
   * Gives back what a successful `consume` of the same request counted, at every level: called when the verification
   * did not pass after all (a later check refused, or the audit append failed). Best effort; a failure leaves an
   * over-count that only refuses more and heals with the window.
   */
  release(request: VelocityRequest): Promise<void>;
}

export interface AuditQuery {
  actorId?: string;
  type?: string;
  /** Epoch ms bounds on `createdAt`, inclusive. */
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
}

/** The stored log checked against itself (and, through the audit log service, against its signed checkpoints). */
export type LedgerVerification = StoredLogCheck;

/** One entry as the ledger stores it (docs/data-model.md "ledger"). */
export interface StoredLeaf {
  seq: number;
  /** The entry's JCS form exactly as `GET /v1/audit` returns it: the Merkle leaf's bytes (UTF-8). */
  leaf: string;
  /** Hashes of the perfect subtrees the entry completes, by level (level 0 is its leaf hash). */
  nodes: Uint8Array[];
  /** On the first entry of each stored item: the stored Merkle frontier before it. */
  frontierBefore?: Uint8Array[];
  /** False when the stored item holding the entry is malformed. */
  wellFormed?: boolean;
}

export interface TreeHead {
  size: number;
  /** The Merkle frontier (compact range) of the whole tree: its root is these folded from the right. */
  frontier: Uint8Array[];
}

/**
 * Append-only per tenant: a hash chain (seq from 0) and an RFC 9162 Merkle tree whose leaf i is the entry with seq i.
 * No method updates or deletes an entry. `append` is the hot path (one conditional write); everything else reads.
 */
export interface Ledger {
  append(entry: AuditEntryInput): Promise<AuditEntry>;
  list(tenantId: string, query: AuditQuery): Promise<Page<AuditEntry>>;
  /** Every stored entry and tree hash recomputed from the leaves (no checkpoints: see AuditLogService.verify). */
  verify(tenantId: string): Promise<LedgerVerification>;
  /** Stored entries with seq in [from, to), oldest first, read page by page. */
  scan(tenantId: string, from: number, to?: number): AsyncIterable<StoredLeaf>;
  /** The tree's size and frontier now (one read). */
  head(tenantId: string): Promise<TreeHead>;
  /** The frontier of the tree of `size` entries (one read). */
  frontierAt(tenantId: string, size: number): Promise<Uint8Array[]>;
  /** Stored hashes of perfect subtrees [s, s + 2^k), s a multiple of 2^k (one read each, batched). */
  subtreeHashes(tenantId: string, ranges: readonly [number, number][]): Promise<Uint8Array[]>;
}

/** A signed checkpoint as stored: `note` is the C2SP signed note; `createdAt` epoch ms. */
export interface StoredCheckpoint {
  size: number;
  note: string;
  createdAt: number;
}

/** Signed checkpoints per tenant, write-once by size (the ledger table's put-only items when deployed). */
export interface CheckpointStore {
  /** Conditional on the size being new; returns the stored checkpoint (another writer's, if it won). */
  put(tenantId: string, checkpoint: StoredCheckpoint): Promise<StoredCheckpoint>;
  latest(tenantId: string): Promise<StoredCheckpoint | undefined>;
  /** Every checkpoint, by ascending size. */
  list(tenantId: string): Promise<StoredCheckpoint[]>;
}

/**
 * Where checkpoints and tiles (C2SP tlog-tiles) are kept for mirrors and forensics: the Object Lock bucket when
 * deployed (every version retained in COMPLIANCE mode), the data directory locally. Paths are relative to the tenant.
 */
export interface LogArchive {
  put(tenantId: string, path: string, bytes: Uint8Array): Promise<void>;
  get(tenantId: string, path: string): Promise<Uint8Array | undefined>;
}

/** Verified actions flow here (Kinesis when deployed) for the behavioural pipeline. */
export interface ActionStream {
  publish(action: VerifiedAction): Promise<void>;
}

export interface EventPublisher {
  publish(event: KakuninEvent): Promise<void>;
}

/** Reads an agent's current risk score; the monitoring work fills it. Undefined means no score yet. */
export interface RiskReader {
  current(tenantId: string, agentId: string): Promise<RiskSnapshot | undefined>;
}

/** One agent's behavioural record: the engine's encoded state, its current risk and the locked baseline. */
export interface BehaviorRecord {
  tenantId: string;
  agentId: string;
  /** Incremented by every `save`; 0 for an agent that has no record yet. */
  version: number;
  /** The engine's encoded state (bounded: ≤ 16 KiB). Absent until the first action is applied. */
  state?: Uint8Array;
  risk?: RiskSnapshot;
  baseline?: BaselineLock;
}

export interface BehaviorUpdate {
  state: Uint8Array;
  risk: RiskSnapshot;
  /** Epoch ms of the newest action applied: the record expires (TTL) long after it, when the agent went quiet. */
  lastActionAt: number;
}

/**
 * Per-agent behavioural state, one item per agent (DynamoDB when deployed). `save` is a conditional write on the
 * version the caller loaded, so two consumers that both loaded version n can never both apply their batch: exactly
 * one save succeeds, the other resolves false and recomputes from the winner's state. The baseline is written apart
 * from the state (an admin's lock never races a consumer's save, and a save never erases a lock).
 */
export interface BehaviorStore {
  load(tenantId: string, agentId: string): Promise<BehaviorRecord>;
  save(tenantId: string, agentId: string, expectedVersion: number, update: BehaviorUpdate): Promise<boolean>;
  putBaseline(tenantId: string, agentId: string, baseline: BaselineLock): Promise<void>;
}

/** Webhook subscriptions and the dead letters of deliveries that exhausted their retries (docs/api.md §5). */
export interface WebhookStore {
  create(subscription: WebhookSubscription): Promise<void>;
  get(tenantId: string, id: string): Promise<WebhookSubscription | undefined>;
  list(tenantId: string): Promise<WebhookSubscription[]>;
  /** True when it existed. Its dead letters stay (they are a record of what was not delivered). */
  delete(tenantId: string, id: string): Promise<boolean>;
  putDeadLetter(letter: WebhookDeadLetter): Promise<void>;
  listDeadLetters(tenantId: string, webhookId: string): Promise<WebhookDeadLetter[]>;
  /** Removes one dead letter once it has been delivered on replay. */
  deleteDeadLetter(tenantId: string, webhookId: string, eventId: string): Promise<void>;
}
