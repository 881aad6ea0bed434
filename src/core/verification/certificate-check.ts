/**
 * Step 1 of contract §4 as pure functions: is the certificate usable right now, and may its agent act?
 * Every branch that cannot decide denies: a missing ancestor counts as revoked, a missing agent as suspended.
 */
import type { VerificationState } from '../../ports.js';
import type { CertificateRecord } from '../model.js';
import { type Rejection, reject } from './rejection.js';

const FIELD = 'certificateFingerprint';

/** What the revocation check needs of an ancestor: a full record or a status read both fit. */
export type CertificateStatus = VerificationState['certificates'][number];
/** What the agent and risk checks need of an agent: a full record or a status read both fit. */
export type AgentState = NonNullable<VerificationState['agent']>;

/**
 * Every fingerprint above `record` that must be unrevoked: the stored ancestor path plus the parent, in case a
 * record's path and parent disagree (a corrupt record is then checked against both, never neither).
 */
export function ancestorFingerprints(
  record: Pick<CertificateRecord, 'fingerprint' | 'ancestors' | 'parentFingerprint'>,
): string[] {
  const all = new Set(record.ancestors);
  if (record.parentFingerprint !== undefined) all.add(record.parentFingerprint);
  all.delete(record.fingerprint);
  return [...all];
}

/**
 * Revocation (own or any ancestor's), then validity. `ancestors` is the batch read of `ancestorFingerprints(record)`;
 * `now` is epoch ms. notBefore and notAfter are both inclusive, as in X.509.
 */
export function checkCertificate(
  record: Pick<
    CertificateRecord,
    'tenantId' | 'fingerprint' | 'ancestors' | 'parentFingerprint' | 'status' | 'notBefore' | 'notAfter'
  >,
  ancestors: readonly CertificateStatus[],
  now: number,
): Rejection | undefined {
  if (record.status !== 'active') return reject('CERTIFICATE_REVOKED', 'certificate is revoked', FIELD);
  const found = new Map(ancestors.map((a) => [a.fingerprint, a]));
  for (const fingerprint of ancestorFingerprints(record)) {
    const ancestor = found.get(fingerprint);
    if (ancestor === undefined || ancestor.tenantId !== record.tenantId || ancestor.status !== 'active') {
      return reject('CERTIFICATE_REVOKED', 'an ancestor certificate is revoked', FIELD);
    }
  }
  if (now > record.notAfter) return reject('CERTIFICATE_EXPIRED', 'certificate has expired', FIELD);
  if (now < record.notBefore) return reject('CERTIFICATE_NOT_YET_VALID', 'certificate is not yet valid', FIELD);
  return undefined;
}

/** The certificate's agent must exist in the tenant and be active. */
export function checkAgent(
  agent: AgentState | undefined,
  record: Pick<CertificateRecord, 'tenantId' | 'agentId'>,
): Rejection | undefined {
  if (agent === undefined || agent.id !== record.agentId || agent.tenantId !== record.tenantId) {
    return reject('AGENT_SUSPENDED', 'the agent of this certificate is not active');
  }
  if (agent.status !== 'active') return reject('AGENT_SUSPENDED', 'agent is suspended');
  return undefined;
}
