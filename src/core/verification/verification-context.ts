/**
 * Step 1's reads: the certificate, the status of every ancestor, the agent and its risk score, read afresh for every
 * verification. Any port rejection becomes a DependencyError (fail closed, 503).
 *
 * Two paths:
 * - The store offers `readVerificationState` (DynamoDB, single table): the immutable part of the certificate comes
 *   from the per-process `CertificateFactsCache`, and ONE strongly consistent batch read returns the current status of
 *   the certificate, of each ancestor and of the agent. Round trips: 1 when the cache is warm, 2 when cold (`get`
 *   first, to learn the ancestors and the agent). Nothing mutable is ever cached.
 * - Otherwise: `get`, then `getMany(ancestors)` and `agents.get` in parallel (2 sequential steps, 3 reads).
 * The risk score is read in parallel with the status in both paths.
 */
import type { AgentStore, CertificateStore, RiskReader, VerificationState } from '../../ports.js';
import { DependencyError } from '../errors.js';
import type { CertificateRecord } from '../model.js';
import { type AgentState, ancestorFingerprints, type CertificateStatus } from './certificate-check.js';
import type { CertificateFacts, CertificateFactsCache } from './certificate-facts.js';
import { callPort } from './port-call.js';

/** The certificate as the pipeline sees it: immutable facts plus the status read for this very request. */
export type CertificateView = CertificateFacts & Pick<CertificateRecord, 'status'>;

export interface VerificationContext {
  record: CertificateView;
  ancestors: readonly CertificateStatus[];
  agent: AgentState | undefined;
  riskScore: number;
}

export interface ContextPorts {
  certificates: CertificateStore;
  agents: AgentStore;
  risk: RiskReader;
}

export class VerificationContextLoader {
  constructor(
    private readonly ports: ContextPorts,
    private readonly facts: CertificateFactsCache,
  ) {}

  /** Undefined when the certificate is unknown in this tenant. */
  async load(tenantId: string, fingerprint: string): Promise<VerificationContext | undefined> {
    const certificates = this.ports.certificates;
    if (typeof certificates.readVerificationState !== 'function')
      return this.loadWithoutStateReader(tenantId, fingerprint);
    const cached = this.facts.get(tenantId, fingerprint);
    if (cached !== undefined) {
      const [state, riskScore] = await Promise.all([
        this.readState(tenantId, [fingerprint, ...ancestorFingerprints(cached)], cached.agentId),
        this.riskScore(tenantId, cached.agentId),
      ]);
      const own = state.certificates.find((c) => c.fingerprint === fingerprint && c.tenantId === tenantId);
      if (own === undefined) {
        // Certificates are never deleted, so this is a broken store; answering "unknown" is a rejection either way.
        this.facts.forget(tenantId, fingerprint);
        return undefined;
      }
      return {
        // Object.assign rather than `{ ...cached, status }`: V8 builds a spread-plus-key literal on a slow path.
        record: Object.assign({}, cached, { status: own.status }),
        ancestors: state.certificates,
        agent: state.agent,
        riskScore,
      };
    }
    const record = await this.getCertificate(tenantId, fingerprint);
    if (record === undefined) return undefined;
    const [state, riskScore] = await Promise.all([
      this.readState(tenantId, ancestorFingerprints(record), record.agentId),
      this.riskScore(tenantId, record.agentId),
    ]);
    const facts = this.facts.remember(record);
    return {
      record: Object.assign({}, facts, { status: record.status }),
      ancestors: state.certificates,
      agent: state.agent,
      riskScore,
    };
  }

  private async loadWithoutStateReader(
    tenantId: string,
    fingerprint: string,
  ): Promise<VerificationContext | undefined> {
    const record = await this.getCertificate(tenantId, fingerprint);
    if (record === undefined) return undefined;
    const above = ancestorFingerprints(record);
    const [ancestors, agent, riskScore] = await Promise.all([
      above.length === 0
        ? Promise.resolve([])
        : callPort('certificate store', () => this.ports.certificates.getMany(tenantId, above)),
      callPort('agent store', () => this.ports.agents.get(tenantId, record.agentId)),
      this.riskScore(tenantId, record.agentId),
    ]);
    return { record, ancestors, agent, riskScore };
  }

  private async getCertificate(tenantId: string, fingerprint: string): Promise<CertificateRecord | undefined> {
    const record = await callPort('certificate store', () => this.ports.certificates.get(tenantId, fingerprint));
    if (record === undefined || record.tenantId !== tenantId || record.fingerprint !== fingerprint) return undefined;
    return record;
  }

  private async readState(tenantId: string, fingerprints: string[], agentId: string): Promise<VerificationState> {
    const state = await callPort('certificate store', async () => {
      const read = this.ports.certificates.readVerificationState;
      if (read === undefined) throw new DependencyError('verification state reader vanished');
      return read.call(this.ports.certificates, tenantId, fingerprints, agentId);
    });
    // A malformed answer cannot be trusted to show a revocation: refuse to decide rather than pass.
    if (state === null || typeof state !== 'object' || !Array.isArray(state.certificates)) {
      throw new DependencyError('certificate store returned an invalid verification state');
    }
    return state;
  }

  private async riskScore(tenantId: string, agentId: string): Promise<number> {
    const risk = await callPort('risk reader', () => this.ports.risk.current(tenantId, agentId));
    // No snapshot yet (a new agent) is a score of 0. Anything else must carry a score in [0, 1]: a snapshot without
    // one, or with a value no threshold can be compared with, must not read as "no risk" in enforce mode.
    if (risk === undefined) return 0;
    const score: unknown = risk === null || typeof risk !== 'object' ? undefined : risk.score;
    if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
      throw new DependencyError('risk reader returned an invalid score');
    }
    return score;
  }
}
