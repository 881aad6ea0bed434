/**
 * The verification pipeline of contract §4: parse → certificate and agent → signature → timestamp → nonce → scope →
 * velocity → risk, first failure wins; then audit, then answer. See docs/verification.md for the failure matrix.
 *
 * Write order (no transactions, so the order is the guarantee): nonce claim → velocity consume → ledger append →
 * stream publish. The answer `verified: true` is only built after the ledger append has resolved, so a failure at
 * any step yields a DependencyError (503) or a rejection, never `verified: true` without its audit entry.
 */
import type {
  ActionStream,
  AgentStore,
  CertificateStore,
  Clock,
  Ledger,
  NonceStore,
  RiskReader,
  VelocityRequest,
  VelocityStore,
} from '../../ports.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { parseSignedEnvelope, signedBytes } from '../envelope/schema.js';
import { DependencyError } from '../errors.js';
import { type ActionOrigin, riskBand, type SignedEnvelope, type VerifiedAction } from '../model.js';
import type { ActionVerifierService, VerificationResult } from '../services.js';
import { checkAgent, checkCertificate } from './certificate-check.js';
import { CertificateFactsCache } from './certificate-facts.js';
import { callPort } from './port-call.js';
import { PublicKeyCache } from './public-key-cache.js';
import { type Rejection, reject } from './rejection.js';
import { checkScope } from './scope-check.js';
import { auditEntryFor, reportToStderr, type StreamPublishFailure } from './verification-audit.js';
import { type CertificateView, type VerificationContext, VerificationContextLoader } from './verification-context.js';

export type { StreamPublishFailure } from './verification-audit.js';

export const DEFAULT_TIMESTAMP_WINDOW_MS = 300_000;

export interface ActionVerifierConfig {
  /** Largest accepted |now − timestamp|, either way. @default 300_000 (contract §4) */
  timestampWindowMs?: number;
  /**
   * Minimum time a claimed nonce is kept after the claim. The nonce's expiry is never earlier than
   * `timestamp + timestampWindowMs`, the last moment its envelope could pass the window check, so the default
   * already makes every replay fail; raise it before raising the window (see docs/verification.md). @default 0
   */
  nonceTtlMs?: number;
}

export interface ActionVerifierDeps {
  certificates: CertificateStore;
  agents: AgentStore;
  nonces: NonceStore;
  velocity: VelocityStore;
  ledger: Ledger;
  stream: ActionStream;
  risk: RiskReader;
  clock: Clock;
  config: ActionVerifierConfig;
  /**
   * Told when a verified (and audited) action could not be handed to the stream; the action stays verified.
   * Wire it to a log line and a metric. @default one JSON line on stderr with ids only (no payload, no signature)
   */
  onStreamPublishFailure?: (failure: StreamPublishFailure) => void;
  /** Parsed public keys, shareable between verifiers. @default a private cache of 10,000 keys */
  publicKeys?: PublicKeyCache;
  /**
   * Immutable certificate facts, used only when `certificates.readVerificationState` exists (never holds a status).
   * @default a private cache of 10,000 certificates
   */
  certificateFacts?: CertificateFactsCache;
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be an integer >= 0`);
  return value;
}

export class ActionVerifier implements ActionVerifierService {
  private readonly windowMs: number;
  private readonly nonceTtlMs: number;
  private readonly publicKeys: PublicKeyCache;
  private readonly onStreamPublishFailure: (failure: StreamPublishFailure) => void;
  private readonly contexts: VerificationContextLoader;

  constructor(private readonly deps: ActionVerifierDeps) {
    this.windowMs = nonNegativeInteger(deps.config.timestampWindowMs ?? DEFAULT_TIMESTAMP_WINDOW_MS, 'window');
    this.nonceTtlMs = nonNegativeInteger(deps.config.nonceTtlMs ?? 0, 'nonceTtlMs');
    this.publicKeys = deps.publicKeys ?? new PublicKeyCache();
    this.onStreamPublishFailure = deps.onStreamPublishFailure ?? reportToStderr;
    this.contexts = new VerificationContextLoader(deps, deps.certificateFacts ?? new CertificateFactsCache());
  }

  async verify(tenantId: string, input: unknown, origin?: ActionOrigin): Promise<VerificationResult> {
    const { envelope, signatureBytes } = parseSignedEnvelope(input);
    const now = this.deps.clock.now();
    const fingerprint = envelope.certificateFingerprint;
    const context = await this.contexts.load(tenantId, fingerprint);
    if (context === undefined) {
      // No actor to attribute it to: not audited (contract §4 audits verifications naming a known certificate).
      return {
        verified: false,
        error: reject('CERTIFICATE_UNKNOWN', 'certificate is not known', 'certificateFingerprint'),
      };
    }
    const record = context.record;
    const rejection = await this.firstRejection(tenantId, envelope, signatureBytes, record, context, now);
    const entry = await callPort('audit ledger', () =>
      this.deps.ledger.append(auditEntryFor(tenantId, record, envelope, context.riskScore, rejection, origin)),
    );
    // An append that resolves without an entry id cannot be shown to have written anything: no verdict without it.
    if (typeof entry?.id !== 'string' || entry.id === '') {
      throw new DependencyError('audit ledger returned no entry id');
    }
    if (rejection !== undefined) return { verified: false, error: rejection, auditId: entry.id };
    await this.publish({
      tenantId,
      agentId: record.agentId,
      certificateFingerprint: fingerprint,
      auditId: entry.id,
      payload: envelope.payload,
      timestamp: envelope.timestamp,
      verifiedAt: now,
    });
    return {
      verified: true,
      agentId: record.agentId,
      fingerprint,
      riskScore: context.riskScore,
      riskBand: riskBand(context.riskScore),
      auditId: entry.id,
    };
  }

  private async firstRejection(
    tenantId: string,
    envelope: SignedEnvelope,
    signature: Uint8Array,
    record: CertificateView,
    context: VerificationContext,
    now: number,
  ): Promise<Rejection | undefined> {
    return (
      checkCertificate(record, context.ancestors, now) ??
      checkAgent(context.agent, record) ??
      this.checkSignature(record, envelope, signature) ??
      this.checkTimestamp(envelope.timestamp, now) ??
      (await this.claimNonce(tenantId, envelope, now)) ??
      this.scopeRejection(record, envelope) ??
      (await this.consumeVelocity(tenantId, record, envelope, now)) ??
      this.checkRisk(context)
    );
  }

  /** The algorithm comes from the certificate's key only; the record's declared algorithm must agree with it. */
  private checkSignature(record: CertificateView, envelope: SignedEnvelope, signature: Uint8Array) {
    const key = this.publicKeys.get(record.publicKeyPem);
    const expectedType = record.publicKeyAlgorithm === 'ECDSA_P256' ? 'ec' : 'rsa';
    const valid =
      key !== undefined &&
      key.asymmetricKeyType === expectedType &&
      verifySignature(key, signedBytes(envelope), signature);
    return valid ? undefined : reject('SIGNATURE_INVALID', 'signature does not verify', 'signature');
  }

  private checkTimestamp(timestamp: number, now: number): Rejection | undefined {
    if (Math.abs(now - timestamp) <= this.windowMs) return undefined;
    return reject('TIMESTAMP_OUT_OF_WINDOW', `timestamp is more than ${this.windowMs} ms from now`, 'timestamp');
  }

  /**
   * Kept until at least `timestamp + window`: until then the envelope could pass the window check, so the nonce must
   * still be claimed. Both comparisons use the same `now`, so verifiers with skewed clocks stay consistent.
   */
  private async claimNonce(tenantId: string, envelope: SignedEnvelope, now: number): Promise<Rejection | undefined> {
    const expiresAt = Math.max(envelope.timestamp + this.windowMs, now + this.nonceTtlMs);
    const { certificateFingerprint: fingerprint, nonce } = envelope;
    const claimed = await callPort('nonce store', () =>
      this.deps.nonces.claim(tenantId, fingerprint, nonce, now, expiresAt),
    );
    if (claimed === true) return undefined;
    return reject('REPLAY_DETECTED', 'nonce was already used with this certificate', 'nonce');
  }

  private scopeRejection(record: CertificateView, envelope: SignedEnvelope): Rejection | undefined {
    const violation = checkScope(record.scope, envelope.payload);
    return violation && reject('SCOPE_VIOLATION', violation.message, violation.field);
  }

  /** Only when the scope declares a velocity limit; a refused request consumes nothing (port contract). */
  private async consumeVelocity(
    tenantId: string,
    record: CertificateView,
    envelope: SignedEnvelope,
    now: number,
  ): Promise<Rejection | undefined> {
    const { maxTransactionsPerHour, maxDailyVolume } = record.scope;
    if (maxTransactionsPerHour === undefined && maxDailyVolume === undefined) return undefined;
    // Built by assignment: conditional spreads inside a literal are a slow path in V8.
    const request: VelocityRequest = { tenantId, fingerprint: record.fingerprint, at: now };
    if (envelope.payload.amount !== undefined) request.amount = envelope.payload.amount;
    if (maxTransactionsPerHour !== undefined) request.maxTransactionsPerHour = maxTransactionsPerHour;
    if (maxDailyVolume !== undefined) request.maxDailyVolume = maxDailyVolume;
    const result = await callPort('velocity store', () => this.deps.velocity.consume(request));
    if (result.ok === true) return undefined;
    if (result.ok !== false) throw new DependencyError('velocity store returned an invalid result');
    return reject('VELOCITY_LIMIT_EXCEEDED', `${result.limit} would be exceeded`);
  }

  /** Enforce mode only; `checkAgent` has already guaranteed the agent exists. */
  private checkRisk(context: VerificationContext): Rejection | undefined {
    const agent = context.agent;
    if (agent === undefined || agent.mode !== 'enforce' || context.riskScore < agent.anomalyThreshold) return undefined;
    return reject('RISK_THRESHOLD_EXCEEDED', 'agent risk score is at or above its anomaly threshold');
  }

  /**
   * After the audit entry exists. A failed publish does NOT undo the verification: the ledger (the system of record)
   * already holds the action, and answering 503 would make the client re-sign and repeat an action whose first
   * attempt is on record as verified. The failure is reported for alarms and the stream can be back-filled from the
   * ledger's action.verified entries.
   */
  private async publish(action: VerifiedAction): Promise<void> {
    try {
      await this.deps.stream.publish(action);
    } catch (error) {
      try {
        this.onStreamPublishFailure({
          tenantId: action.tenantId,
          agentId: action.agentId,
          certificateFingerprint: action.certificateFingerprint,
          auditId: action.auditId,
          error,
        });
      } catch {
        // A broken reporter must not turn an audited verification into an error.
      }
    }
  }
}
