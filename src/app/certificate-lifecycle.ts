/**
 * What happens around the CA when certificates are issued, revoked or used to sign: the audit ledger entry and the
 * docs/api.md §5 event. The CA itself stays free of ledger and bus concerns; this is the one place that adds them.
 *
 * Ordering, chosen so that no failure leaves an unaudited effect (docs/api.md, "Failure semantics"):
 * - issue: the audit entry is written through the CA's `beforeStore` hook, after signing and before the certificate
 *   is stored. A ledger failure answers 503 and stores nothing; a store failure after it leaves an audit entry for a
 *   certificate nobody ever received, which the store does not know and so can never verify.
 * - revoke: the revocation takes effect first, because refusing to revoke a compromised agent while the ledger is
 *   down would fail open. Every revoke request, a repeated one included, then appends its audit entry and announces
 *   the event, so a client that retries a 503 until it gets 200 always leaves the entry and the event behind.
 * - sign: the envelope is audited before it is returned; a ledger failure answers 503 and the envelope is discarded.
 * - events are announced after the effect and its audit entry; a bus failure is reported through `onEventFailure`
 *   (logged and counted) instead of answering 503 for something that already happened. Delivery is at least once:
 *   consumers deduplicate on the certificate fingerprint.
 */
import { loadAgentChain } from '../core/authorization/agent-chain.js';
import { type AuthorizationPrincipal, assertAuthorized } from '../core/authorization/authorize.js';
import { signEnvelope, vaultSigner } from '../core/envelope/signer.js';
import { invalidRequest, KakuninError, notFound } from '../core/errors.js';
import type {
  ActionOrigin,
  ActionPayload,
  CertificateRecord,
  EventType,
  RevocationReason,
  SignedEnvelope,
} from '../core/model.js';
import type { IssueCertificateRequest, IssuedCertificate } from '../core/services.js';
import { callPort } from '../core/verification/port-call.js';
import type { SigningAlgorithm } from '../ports.js';
import { randomId } from './agents.js';
import type { AppContext } from './context.js';

export type LifecycleDeps = Pick<
  AppContext,
  'ca' | 'ledger' | 'events' | 'certificates' | 'agents' | 'vault' | 'clock' | 'random'
> & {
  /** Called when the event bus refuses an event whose effect already happened. Never receives secrets. */
  onEventFailure?: (failure: { type: EventType; eventId: string; error: unknown }) => void;
};

/** An automatic revocation's facts (docs/api.md §5 `agent.certificate_revoked`: `risk_score`, `anomaly_start`). */
export interface AnomalyDetails {
  riskScore: number;
  anomalyStart: number;
  /** Audit id of the verified action that reached the threshold (kept in the audit entry, for forensics). */
  actionId: string;
}

/** What a caller asks to be issued; the subject agent is named by id and loaded (with its chain) here. */
export type IssueParams = Omit<IssueCertificateRequest, 'tenantId' | 'agent' | 'beforeStore'>;

/** The caller as the lifecycle needs it: the policy's principal plus its key id for the audit trail. */
export interface LifecycleCaller extends AuthorizationPrincipal {
  keyId: string;
}

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

/** What caused a revocation: the revoke route, a revoked ancestor, or monitoring's automatic revocation. */
export type RevocationTrigger = 'manual' | 'cascade' | 'anomaly';

/** Certificates below a revoked one audited per revocation at most (a deeper or wider tree is noted as truncated). */
const MAX_CASCADE_ENTRIES = 1_000;

export class CertificateLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  /**
   * Every certificate below a newly revoked one is invalid from now on (ancestor path, docs/adr/0004): each gets its
   * own `certificate.revoked` entry with `trigger: 'cascade'`, so a forensic reader filtering by certificate or agent
   * sees when and why it stopped verifying. Written together (group commit), after the revocation's own entry.
   */
  private async auditCascade(tenantId: string, root: string, revokedAt: number, by: string): Promise<void> {
    const below: CertificateRecord[] = [];
    let frontier = [root];
    while (frontier.length > 0 && below.length < MAX_CASCADE_ENTRIES) {
      const children = (
        await Promise.all(frontier.map((fp) => this.deps.certificates.listChildren(tenantId, fp)))
      ).flat();
      below.push(...children.slice(0, MAX_CASCADE_ENTRIES - below.length));
      frontier = children.map((child) => child.fingerprint);
    }
    const truncated = frontier.length > 0;
    await Promise.all(
      below.map((child) =>
        this.deps.ledger.append({
          tenantId,
          actorId: child.agentId,
          type: 'certificate.revoked',
          certificateFingerprint: child.fingerprint,
          payload: {
            reason: 'parent_revoked',
            trigger: 'cascade',
            cause: root,
            revokedAt: iso(revokedAt),
            by,
            ...(truncated ? { cascadeTruncatedAfter: MAX_CASCADE_ENTRIES } : {}),
          },
        }),
      ),
    );
  }

  /**
   * Issues to `agentId` once the policy allows it (an agent key: only to its sub-agents, under its own agent's
   * certificate, and never while it or an agent above it is suspended), through the CA with the audit entry written
   * before the certificate is stored, then announces it.
   */
  async issue(caller: LifecycleCaller, agentId: string, params: IssueParams): Promise<IssuedCertificate> {
    const { tenantId } = caller;
    const agentChain = await loadAgentChain(this.deps.agents, tenantId, agentId);
    if (agentChain === undefined) throw notFound('agent');
    const parentCertificateAgentId = await this.ownerOf(tenantId, params.parentFingerprint);
    assertAuthorized(caller, 'certificate:issue', { tenantId, agentChain, parentCertificateAgentId });
    const agent = agentChain[agentChain.length - 1]!;
    const request: IssueCertificateRequest = { ...params, tenantId, agent };
    const by = caller.keyId;
    await this.deps.ca.ensureTenant(tenantId);
    const issued = await this.deps.ca.issue({
      ...request,
      beforeStore: async (record) => {
        // A key the service created for this certificate is its own security event: which key, for whom.
        if (record.keyRef !== undefined) {
          await this.deps.ledger.append({
            tenantId: record.tenantId,
            actorId: record.agentId,
            type: 'key.minted',
            certificateFingerprint: record.fingerprint,
            payload: { keyRef: record.keyRef, keySpec: record.keySpec ?? record.publicKeyAlgorithm, by },
          });
        }
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
      },
    });
    const { record } = issued;
    await this.announce(record.tenantId, 'certificate.issued', {
      agent_id: record.agentId,
      certificate_fingerprint: record.fingerprint,
      not_after: iso(record.notAfter),
    });
    return issued;
  }

  /**
   * Revokes (idempotently: the first time and reason stand), then audits and announces. A repeated request is audited
   * again (`payload.repeated: true`) and announced again: the earlier attempt may have failed before doing either.
   */
  async revoke(
    tenantId: string,
    fingerprint: string,
    reason: RevocationReason,
    by: string,
    trigger: RevocationTrigger = 'manual',
    anomaly?: AnomalyDetails,
  ): Promise<RevokeOutcome> {
    const { record } = await this.deps.ca.state(tenantId, fingerprint);
    const result = await this.deps.ca.revoke(tenantId, fingerprint, reason);
    await this.deps.ledger.append({
      tenantId,
      actorId: record.agentId,
      type: 'certificate.revoked',
      certificateFingerprint: fingerprint,
      payload: {
        reason: result.reason,
        trigger,
        revokedAt: iso(result.revokedAt),
        by,
        ...(result.changed ? {} : { repeated: true, requestedReason: reason }),
        ...(anomaly === undefined
          ? {}
          : { riskScore: anomaly.riskScore, anomalyStart: iso(anomaly.anomalyStart), actionId: anomaly.actionId }),
      },
    });
    if (result.changed) await this.auditCascade(tenantId, fingerprint, result.revokedAt, by);
    await this.announce(tenantId, 'agent.certificate_revoked', {
      agent_id: record.agentId,
      certificate_fingerprint: fingerprint,
      revocation_reason: result.reason,
      revoked_at: iso(result.revokedAt),
      ...(anomaly === undefined ? {} : { risk_score: anomaly.riskScore, anomaly_start: iso(anomaly.anomalyStart) }),
    });
    return { ...result, record };
  }

  /**
   * Signs an action envelope with the key the service holds for one of the agent's valid certificates, and audits the
   * signature (with the caller's own address as its `origin`, docs/api.md §4) before returning it. Refuses a certificate of another agent, one that is not valid now, and one whose
   * key the service does not hold.
   */
  async sign(
    caller: AuthorizationPrincipal,
    agentId: string,
    payload: ActionPayload,
    certificateFingerprint: string,
    origin?: ActionOrigin,
  ): Promise<SignedEnvelope> {
    const { tenantId } = caller;
    const agentChain = await loadAgentChain(this.deps.agents, tenantId, agentId);
    if (agentChain === undefined) throw notFound('agent');
    assertAuthorized(caller, 'agent:sign', { tenantId, agentChain });
    const field = 'certificateFingerprint';
    const record = await this.deps.certificates.get(tenantId, certificateFingerprint);
    // Unknown, another tenant's or another agent's: all "not found" for this agent (docs/api.md §1: another tenant's id
    // answers 404), so the answer reveals nothing about certificates the caller cannot use.
    if (!record || record.agentId !== agentId) {
      throw new KakuninError('NOT_FOUND', 'no such certificate for this agent', { field });
    }
    if (record.keyRef === undefined) throw invalidRequest('certificate key is not held by the service', field);
    const { state } = await this.deps.ca.state(tenantId, certificateFingerprint);
    if (!state.valid) throw invalidRequest(`certificate is not valid (${state.reason})`, field);
    const envelope = await signEnvelope({
      payload,
      certificateFingerprint,
      signer: vaultSigner(this.deps.vault, record.keyRef, SIGNING_ALGORITHM[record.publicKeyAlgorithm]),
      clock: this.deps.clock,
      random: this.deps.random,
    });
    await this.deps.ledger.append({
      tenantId,
      actorId: agentId,
      type: 'action.signed',
      certificateFingerprint,
      payload: envelope.payload,
      signature: envelope.signature,
      nonce: envelope.nonce,
      timestamp: envelope.timestamp,
      ...(origin === undefined ? {} : { origin }),
    });
    return envelope;
  }

  /** The agent holding a requested parent certificate; null when none is named or it is unknown in the tenant. */
  private async ownerOf(tenantId: string, fingerprint: string | undefined): Promise<string | null> {
    if (fingerprint === undefined) return null;
    const parent = await callPort('certificate store', () => this.deps.certificates.get(tenantId, fingerprint));
    return parent?.agentId ?? null;
  }

  private async announce(tenantId: string, type: EventType, data: Record<string, unknown>): Promise<void> {
    const eventId = randomId(this.deps.random, 'evt_', 24);
    try {
      await this.deps.events.publish({ id: eventId, type, createdAt: iso(this.deps.clock.now()), tenantId, data });
    } catch (error) {
      this.deps.onEventFailure?.({ type, eventId, error });
    }
  }
}
