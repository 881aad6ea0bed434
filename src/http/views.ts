/** Records → contract response bodies (docs/api.md §2–§3). Times become RFC 3339 UTC strings here and only here. */
import type { AgentRecord, CertificateRecord } from '../core/model.js';
import type { CertificateState, IssuedCertificate } from '../core/services.js';
import { rfc3339 } from './responses.js';

export function agentView(agent: AgentRecord): Record<string, unknown> {
  return {
    id: agent.id,
    name: agent.name,
    metadata: agent.metadata,
    mode: agent.mode,
    warningThreshold: agent.warningThreshold,
    anomalyThreshold: agent.anomalyThreshold,
    status: agent.status,
    createdAt: rfc3339(agent.createdAt),
    ...(agent.parentAgentId === undefined ? {} : { parentAgentId: agent.parentAgentId }),
  };
}

export function issuedCertificateView({ record, chainPem }: IssuedCertificate): Record<string, unknown> {
  return {
    fingerprint: record.fingerprint,
    serialNumber: record.serialNumber,
    agentId: record.agentId,
    pem: record.pem,
    chainPem,
    notBefore: rfc3339(record.notBefore),
    notAfter: rfc3339(record.notAfter),
    scope: record.scope,
    ...(record.parentFingerprint === undefined ? {} : { parentFingerprint: record.parentFingerprint }),
    ...(record.keyRef === undefined ? {} : { keyRef: record.keyRef }),
  };
}

export function certificateStateView(record: CertificateRecord, state: CertificateState): Record<string, unknown> {
  return {
    valid: state.valid,
    status: state.status,
    ...(state.valid ? {} : { reason: state.reason }),
    agentId: record.agentId,
    fingerprint: record.fingerprint,
    serialNumber: record.serialNumber,
    publicKey: record.publicKeyPem,
    scope: record.scope,
    notBefore: rfc3339(record.notBefore),
    notAfter: rfc3339(record.notAfter),
    ...(record.parentFingerprint === undefined ? {} : { parentFingerprint: record.parentFingerprint }),
    ...(record.revokedAt === undefined ? {} : { revokedAt: rfc3339(record.revokedAt) }),
    ...(record.revocationReason === undefined ? {} : { revocationReason: record.revocationReason }),
  };
}
