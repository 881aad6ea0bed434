/**
 * What the pipeline writes to the audit ledger for each verification naming a known certificate, and the default
 * report of a stream publish failure.
 */
import type { ActionOrigin, AuditEntryInput, CertificateRecord, SignedEnvelope } from '../model.js';
import type { Rejection } from './rejection.js';

/** Ledger entry of one verification: `action.verified`, or `action.rejected` with the contract code. */
export function auditEntryFor(
  tenantId: string,
  record: Pick<CertificateRecord, 'agentId'>,
  envelope: SignedEnvelope,
  riskScore: number,
  rejection: Rejection | undefined,
  origin?: ActionOrigin,
): AuditEntryInput {
  // A plain literal plus one assignment: a conditional spread in the middle of a literal costs V8 far more.
  const entry: AuditEntryInput = {
    tenantId,
    actorId: record.agentId,
    type: rejection === undefined ? 'action.verified' : 'action.rejected',
    payload: envelope.payload,
    signature: envelope.signature,
    certificateFingerprint: envelope.certificateFingerprint,
    nonce: envelope.nonce,
    timestamp: envelope.timestamp,
    riskScore,
  };
  if (rejection !== undefined) entry.errorCode = rejection.code;
  if (origin !== undefined) entry.origin = origin;
  return entry;
}

/** A verified, audited action that did not reach the ActionStream. */
export interface StreamPublishFailure {
  tenantId: string;
  agentId: string;
  certificateFingerprint: string;
  /** The stream's id of the action (docs/verification.md). */
  actionId: string;
  auditId: string;
  error: unknown;
}

/** Default reporter: ids and the error's name and message only; never the payload or the signature. */
export function reportToStderr(failure: StreamPublishFailure): void {
  const { error, ...ids } = failure;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  process.stderr.write(
    `${JSON.stringify({ level: 'WARN', message: 'action stream publish failed', ...ids, reason })}\n`,
  );
}
