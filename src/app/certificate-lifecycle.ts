/**
 * What happens around the CA when certificates are issued, revoked or used to sign: the audit ledger entry and the
 * contract §5 event. The CA itself stays free of ledger and bus concerns; this is the one place that adds them.
 */
import { signEnvelope, vaultSigner } from '../core/envelope/signer.js';
import { invalidRequest } from '../core/errors.js';
import type { ActionPayload, CertificateRecord, EventType, RevocationReason, SignedEnvelope } from '../core/model.js';
import type { IssueCertificateRequest, IssuedCertificate } from '../core/services.js';
import type { SigningAlgorithm } from '../ports.js';
import { randomId } from './agents.js';
import type { AppContext } from './context.js';

export type LifecycleDeps = Pick<
  AppContext,
  'ca' | 'ledger' | 'events' | 'certificates' | 'vault' | 'clock' | 'random'
>;

export interface RevokeOutcome {
  revokedAt: number;
  reason: RevocationReason;
  changed: boolean;
  record: CertificateRecord;
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

const SIGNING_ALGORITHM: Record<CertificateRecord['publicKeyAlgorithm'], SigningAlgorithm> = {
  ECDSA_P256: 'ECDSA_SHA_256',
  RSA: 'RSASSA_PKCS1_V1_5_SHA_256',
};

export class CertificateLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  /** Issues through the CA, then audits (`certificate.issued`) and announces (`certificate.issued` event). */
  async issue(request: IssueCertificateRequest, by: string): Promise<IssuedCertificate> {
    const issued = await this.deps.ca.issue(request);
    const { record } = issued;
    await this.deps.ledger.append({
      tenantId: record.tenantId,
      actorId: record.agentId,
      type: 'certificate.issued',
      certificateFingerprint: record.fingerprint,
      payload: {
        serialNumber: record.serialNumber,
        notAfter: iso(record.notAfter),
        by,
        ...(record.parentFingerprint === undefined ? {} : { parentFingerprint: record.parentFingerprint }),
      },
    });
    await this.publish(record.tenantId, 'certificate.issued', {
      agent_id: record.agentId,
      certificate_fingerprint: record.fingerprint,
      not_after: iso(record.notAfter),
    });
    return issued;
  }

  /**
   * Revokes (idempotently: the first time and reason stand). Audit entry and event only when this call made the
   * revocation, so a repeated request never produces a second `certificate.revoked`.
   */
  async revoke(tenantId: string, fingerprint: string, reason: RevocationReason, by: string): Promise<RevokeOutcome> {
    const { record } = await this.deps.ca.state(tenantId, fingerprint);
    const result = await this.deps.ca.revoke(tenantId, fingerprint, reason);
    if (result.changed) {
      await this.deps.ledger.append({
        tenantId,
        actorId: record.agentId,
        type: 'certificate.revoked',
        certificateFingerprint: fingerprint,
        payload: { reason: result.reason, revokedAt: iso(result.revokedAt), by },
      });
      await this.publish(tenantId, 'agent.certificate_revoked', {
        agent_id: record.agentId,
        certificate_fingerprint: fingerprint,
        revocation_reason: result.reason,
        revoked_at: iso(result.revokedAt),
      });
    }
    return { ...result, record };
  }

  /**
   * Signs an action envelope with the key the service holds for one of the agent's valid certificates. Refuses a
   * certificate of another agent, one that is not valid now, and one whose key the service does not hold.
   */
  async sign(
    tenantId: string,
    agentId: string,
    payload: ActionPayload,
    certificateFingerprint: string,
  ): Promise<SignedEnvelope> {
    const field = 'certificateFingerprint';
    const record = await this.deps.certificates.get(tenantId, certificateFingerprint);
    if (!record || record.agentId !== agentId) throw invalidRequest('no such certificate for this agent', field);
    if (record.keyRef === undefined) throw invalidRequest('certificate key is not held by the service', field);
    const { state } = await this.deps.ca.state(tenantId, certificateFingerprint);
    if (!state.valid) throw invalidRequest(`certificate is not valid (${state.reason})`, field);
    return signEnvelope({
      payload,
      certificateFingerprint,
      signer: vaultSigner(this.deps.vault, record.keyRef, SIGNING_ALGORITHM[record.publicKeyAlgorithm]),
      clock: this.deps.clock,
      random: this.deps.random,
    });
  }

  private async publish(tenantId: string, type: EventType, data: Record<string, unknown>): Promise<void> {
    await this.deps.events.publish({
      id: randomId(this.deps.random, 'evt_', 24),
      type,
      createdAt: iso(this.deps.clock.now()),
      tenantId,
      data,
    });
  }
}
