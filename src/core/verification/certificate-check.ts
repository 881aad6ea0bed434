/**
 * Step 1 of docs/api.md §4 as pure functions: is the certificate usable right now, and may its agent act?
 * Every branch that cannot decide denies: a missing ancestor counts as revoked, a missing agent (own or ancestor) as
 * suspended.
 */
import type { AgentState, CertificateStatus } from '../../ports.js';
import type { CertificateRecord } from '../model.js';
import { type Rejection, reject } from './rejection.js';

const FIELD = 'certificateFingerprint';

export type { AgentState, CertificateStatus } from '../../ports.js';

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

/**
 * The certificate's agent and every agent above it must exist in the tenant and be active (docs/api.md §3: an action
 * signed under a certificate whose agent or any ancestor agent is suspended is refused). An ancestor that was not
 * found counts as suspended.
 */
export function checkAgents(
  context: { agent: AgentState | undefined; ancestorAgentIds: readonly string[]; agents: readonly AgentState[] },
  record: Pick<CertificateRecord, 'tenantId' | 'agentId'>,
): Rejection | undefined {
  const { agent } = context;
  if (agent === undefined || agent.id !== record.agentId || agent.tenantId !== record.tenantId) {
    return reject('AGENT_SUSPENDED', 'the agent of this certificate is not active');
  }
  if (agent.status !== 'active') return reject('AGENT_SUSPENDED', 'agent is suspended');
  for (const id of context.ancestorAgentIds) {
    const ancestor = context.agents.find((a) => a.id === id);
    if (ancestor === undefined || ancestor.tenantId !== record.tenantId || ancestor.status !== 'active') {
      return reject('AGENT_SUSPENDED', `an ancestor agent (${id}) is suspended`);
    }
  }
  return undefined;
}
