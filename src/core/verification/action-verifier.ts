/**
 * The verification pipeline of docs/api.md §4: parse → certificate and agent → signature → timestamp → nonce → scope →
 * velocity → risk, first failure wins; then audit, then answer. See docs/verification.md for the failure matrix.
 *
 * Round trips (docs/verification.md, "Round trips and write order"): the signature and the timestamp are checked
 * first, in process, against the cached immutable facts; then ONE round trip reads the current state (statuses,
 * settings, risk) and claims the nonce together; then, only with velocity limits, one round trip consumes velocity;
 * then the audit append; then the stream publish of a verified action (it needs the entry's id, which the ledger
 * assigns from the entry's seq). Warm: 3 sequential AWS round trips without velocity limits, 4 with them.
 * Write order (no transactions, so the order is the guarantee): nonce claim → velocity consume → ledger append →
 * stream publish. The answer `verified: true` is only built after the ledger append has resolved, so a
 * failure at any step yields a DependencyError (503) or a rejection, never `verified: true` without its audit entry.
 *
 * Delegation binds the whole tree (docs/api.md §3): step 1 refuses a certificate whose agent or any ancestor agent is
 * suspended; velocity is consumed from the certificate's counters and from every ancestor certificate's; the risk
 * step applies the strictest monitoring settings along the agent's chain. When a step after the velocity consumption
 * refuses (risk) or fails (the ledger append), the consumption is released: an action that was not verified spends
 * nothing anywhere.
 */
import type {
  ActionStream,
  AgentStore,
  CertificateStore,
  Clock,
  Ledger,
  NonceStore,
  VelocityRequest,
  VelocityStore,
} from '../../ports.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { parseSignedEnvelope, signedBytes } from '../envelope/schema.js';
import { DependencyError } from '../errors.js';
import {
  type ActionOrigin,
  type AuditEntryInput,
  riskBand,
  type SignedEnvelope,
  type VerifiedAction,
} from '../model.js';
import { DEFAULT_SCOPE_OID } from '../scope/scope-oid.js';
import type { ActionVerifierService, VerificationResult } from '../services.js';
import { verifiedActionId } from './action-id.js';
import { checkAgents, checkCertificate } from './certificate-check.js';
import { type CertificateFacts, CertificateFactsCache } from './certificate-facts.js';
import { callPort } from './port-call.js';
import { PublicKeyCache } from './public-key-cache.js';
import { type Rejection, reject } from './rejection.js';
import { checkRisk } from './risk-check.js';
import { checkScope } from './scope-check.js';
import { velocityRequestFor } from './velocity-levels.js';
import { auditEntryFor, reportToStderr, type StreamPublishFailure } from './verification-audit.js';
import { type CertificateView, type VerificationContext, VerificationContextLoader } from './verification-context.js';

export type { StreamPublishFailure } from './verification-audit.js';

export const DEFAULT_TIMESTAMP_WINDOW_MS = 300_000;

const unknownCertificate = (): VerificationResult => ({
  verified: false,
  error: reject('CERTIFICATE_UNKNOWN', 'certificate is not known', 'certificateFingerprint'),
});

export interface ActionVerifierConfig {
  /** Largest accepted |now − timestamp|, either way. @default 300_000 (docs/api.md §4) */
  timestampWindowMs?: number;
  /**
   * Minimum time a claimed nonce is kept after the claim. The nonce's expiry is never earlier than
   * `timestamp + timestampWindowMs`, the last moment its envelope could pass the window check, so the default
   * already makes every replay fail; raise it before raising the window (see docs/verification.md). @default 0
   */
  nonceTtlMs?: number;
  /** OID of the scope extension decoded from every certificate (docs/ca.md). @default DEFAULT_SCOPE_OID */
  scopeOid?: string;
}

export interface ActionVerifierDeps {
  certificates: CertificateStore;
  agents: AgentStore;
  nonces: NonceStore;
  velocity: VelocityStore;
  ledger: Ledger;
  stream: ActionStream;
  clock: Clock;
  config: ActionVerifierConfig;
  /**
   * Told when a verified (and audited) action could not be handed to the stream; the action stays verified.
   * Wire it to a log line and a metric. @default one JSON line on stderr with ids only (no payload, no signature)
   */
  onStreamPublishFailure?: (failure: StreamPublishFailure) => void;
  /** Parsed public keys, shareable between verifiers. @default a private cache of 10,000 keys */
  publicKeys?: PublicKeyCache;
  /** Immutable certificate and chain facts (never a status or a setting). @default a private cache of 10,000 */
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
    this.contexts = new VerificationContextLoader(
      deps,
      deps.certificateFacts ?? new CertificateFactsCache(),
      deps.config.scopeOid ?? DEFAULT_SCOPE_OID,
    );
  }

  async verify(tenantId: string, input: unknown, origin?: ActionOrigin): Promise<VerificationResult> {
    const { envelope, signatureBytes } = parseSignedEnvelope(input);
    const now = this.deps.clock.now();
    const fingerprint = envelope.certificateFingerprint;
    const facts = await this.contexts.factsOf(tenantId, fingerprint);
    if (facts === undefined) return unknownCertificate();
    // Steps 2-3 need only immutable facts: decided before any I/O, so that an envelope that is authentic and on time
    // claims its nonce in the same round trip as the state read, and any other claims nothing.
    const unauthentic =
      this.checkSignature(facts.certificate, envelope, signatureBytes) ?? this.checkTimestamp(envelope.timestamp, now);
    const [context, replay] = await Promise.all([
      this.contexts.current(tenantId, fingerprint, facts),
      unauthentic === undefined ? this.claimNonce(tenantId, envelope, now) : undefined,
    ]);
    // No actor to attribute it to: not audited (docs/api.md §4 audits verifications naming a known certificate).
    if (context === undefined) return unknownCertificate();
    const record = context.record;
    const outcome = await this.firstRejection(tenantId, envelope, context, now, unauthentic ?? replay);
    const rejection = outcome.rejection;
    const auditInput = auditEntryFor(tenantId, record, envelope, context.riskScore, rejection, origin);
    if (rejection !== undefined) {
      const entry = await this.audit(auditInput);
      return { verified: false, error: rejection, auditId: entry.id };
    }
    const action: VerifiedAction = {
      tenantId,
      agentId: record.agentId,
      certificateFingerprint: fingerprint,
      actionId: verifiedActionId(tenantId, fingerprint, envelope.nonce),
      payload: envelope.payload,
      timestamp: envelope.timestamp,
      verifiedAt: now,
    };
    if (origin !== undefined) action.origin = origin;
    // The publish runs beside the append (one round trip for both); the answer still waits for the append.
    const published = this.publish(action);
    let entry: { id: string };
    try {
      entry = await this.audit(auditInput);
    } catch (error) {
      // Not verified after all (503): give back what it consumed. The stream may already hold the action; monitoring
      // then counts one action more than the ledger verified (never fewer), see docs/verification.md.
      await published;
      if (outcome.consumed !== undefined) await this.releaseVelocity(outcome.consumed);
      throw error;
    }
    this.reportPublishFailure(action, entry.id, await published);
    return {
      verified: true,
      agentId: record.agentId,
      fingerprint,
      riskScore: context.riskScore,
      riskBand: riskBand(context.riskScore),
      auditId: entry.id,
    };
  }

  /**
   * The first failing check in contract order, and the velocity request consumed (to release) if the velocity step
   * passed. `early` is what steps 2-4 (signature, timestamp, nonce) already decided before the state was read.
   */
  private async firstRejection(
    tenantId: string,
    envelope: SignedEnvelope,
    context: VerificationContext,
    now: number,
    early: Rejection | undefined,
  ): Promise<{ rejection: Rejection | undefined; consumed?: VelocityRequest }> {
    const record = context.record;
    const before =
      checkCertificate(record, context.ancestors, now) ??
      checkAgents(context, record) ??
      early ??
      this.scopeRejection(record, envelope);
    if (before !== undefined) return { rejection: before };
    const request = velocityRequestFor(tenantId, context, envelope.payload.amount, now);
    const velocity = request === undefined ? undefined : await this.consumeVelocity(request);
    if (velocity !== undefined) return { rejection: velocity };
    const risk = checkRisk(context);
    if (risk !== undefined && request !== undefined) {
      await this.releaseVelocity(request);
      return { rejection: risk };
    }
    return request === undefined ? { rejection: risk } : { rejection: risk, consumed: request };
  }

  /** The algorithm comes from the certificate's key only; the record's declared algorithm must agree with it. */
  private checkSignature(record: CertificateFacts, envelope: SignedEnvelope, signature: Uint8Array) {
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

  /** A refused request consumes nothing at any level (port contract). */
  private async consumeVelocity(request: VelocityRequest): Promise<Rejection | undefined> {
    const result = await callPort('velocity store', () => this.deps.velocity.consume(request));
    if (result.ok === true) return undefined;
    if (result.ok !== false) throw new DependencyError('velocity store returned an invalid result');
    const own = result.fingerprint === request.levels.at(-1)?.fingerprint;
    const where = own ? '' : ` of an ancestor certificate (${result.fingerprint})`;
    return reject('VELOCITY_LIMIT_EXCEEDED', `${result.limit}${where} would be exceeded`);
  }

  /**
   * Gives back a consumption whose verification did not pass after all. Best effort: a failed release leaves an
   * over-count (later actions refused early, never let through) that heals with the window (docs/adr/0005).
   */
  private async releaseVelocity(request: VelocityRequest): Promise<void> {
    try {
      await this.deps.velocity.release(request);
    } catch {
      // Fail closed: an over-count only refuses more.
    }
  }

  /** The audit entry, before any answer: an append that resolves without an entry id has written nothing provable. */
  private async audit(input: AuditEntryInput): Promise<{ id: string }> {
    const entry = await callPort('audit ledger', () => this.deps.ledger.append(input));
    if (typeof entry?.id !== 'string' || entry.id === '') {
      throw new DependencyError('audit ledger returned no entry id');
    }
    return { id: entry.id };
  }

  /**
   * Resolves to the publish error, or undefined; never rejects. A failed publish does NOT undo the verification: the
   * ledger (the system of record) holds the action, and answering 503 would make the client re-sign and repeat an
   * action whose first attempt is on record as verified. The failure is reported for alarms, and the stream can be
   * back-filled from the ledger's action.verified entries.
   */
  private async publish(action: VerifiedAction): Promise<unknown> {
    try {
      await this.deps.stream.publish(action);
      return undefined;
    } catch (error) {
      return error ?? new Error('action stream publish failed');
    }
  }

  private reportPublishFailure(action: VerifiedAction, auditId: string, error: unknown): void {
    if (error === undefined) return;
    try {
      this.onStreamPublishFailure({
        tenantId: action.tenantId,
        agentId: action.agentId,
        certificateFingerprint: action.certificateFingerprint,
        actionId: action.actionId,
        auditId,
        error,
      });
    } catch {
      // A broken reporter must not turn an audited verification into an error.
    }
  }
}
