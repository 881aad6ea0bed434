/**
 * Step 1's reads: the certificate and everything above it, read afresh for every verification. Any port rejection
 * becomes a DependencyError (fail closed, 503).
 *
 * What never changes is cached per process (`CertificateFactsCache`): the certificate's immutable fields with the scope
 * decoded from its own extension, the immutable fields of every ancestor certificate (their scopes bound velocity), and
 * the ids of the agents above the certificate's agent (`parentAgentId` never changes). What can change is read by ONE
 * strongly consistent `readVerificationState` (one BatchGetItem in the single-table DynamoDB design): the status of the
 * certificate and of every ancestor certificate, and the status and monitoring settings of the agent and of every
 * ancestor agent, and the agent's current risk score (on the monitoring table, in the same BatchGetItem). Round
 * trips: 1 when the cache is warm; on a cold cache first `get`, then the ancestor certificates and the agent chain,
 * then the state read. Nothing mutable is ever cached, so a revocation, a suspension or a new risk score is seen by
 * the very next verification.
 */
import type { AgentStore, CertificateStore, VerificationState } from '../../ports.js';
import { loadAgentChain } from '../authorization/agent-chain.js';
import { DependencyError } from '../errors.js';
import type { CertificateRecord } from '../model.js';
import { type AgentState, ancestorFingerprints, type CertificateStatus } from './certificate-check.js';
import {
  type CertificateFacts,
  type CertificateFactsCache,
  certificateFactsOf,
  type VerificationFacts,
} from './certificate-facts.js';
import { callPort } from './port-call.js';

/** The certificate as the pipeline sees it: immutable facts plus the status read for this very request. */
export type CertificateView = CertificateFacts & Pick<CertificateRecord, 'status'>;

export interface VerificationContext {
  record: CertificateView;
  /** Ancestor certificates' immutable facts, root first (nearest parent last). */
  lineage: readonly CertificateFacts[];
  /** The statuses read for this request: the certificate's own and every ancestor's found. */
  ancestors: readonly CertificateStatus[];
  agent: AgentState | undefined;
  /** Ids of every agent above the certificate's agent (its parent chain and the agents of ancestor certificates). */
  ancestorAgentIds: readonly string[];
  /** The states read for this request of the agent and of every ancestor agent found. */
  agents: readonly AgentState[];
  riskScore: number;
}

export interface ContextPorts {
  certificates: CertificateStore;
  agents: AgentStore;
}

export class VerificationContextLoader {
  constructor(
    private readonly ports: ContextPorts,
    private readonly facts: CertificateFactsCache,
    private readonly scopeOid: string,
  ) {}

  /** Undefined when the certificate is unknown in this tenant. */
  async load(tenantId: string, fingerprint: string): Promise<VerificationContext | undefined> {
    const facts = await this.factsOf(tenantId, fingerprint);
    return facts === undefined ? undefined : this.current(tenantId, fingerprint, facts);
  }

  /**
   * The immutable facts (no I/O when cached): enough to check the signature and the timestamp before anything is
   * read or written. Undefined when the certificate is unknown in this tenant.
   */
  async factsOf(tenantId: string, fingerprint: string): Promise<VerificationFacts | undefined> {
    return this.facts.get(tenantId, fingerprint) ?? (await this.loadFacts(tenantId, fingerprint));
  }

  /** What can change, read for this very request: ONE state read, the agent's risk score included. */
  async current(
    tenantId: string,
    fingerprint: string,
    facts: VerificationFacts,
  ): Promise<VerificationContext | undefined> {
    const { certificate } = facts;
    const state = await this.readState(tenantId, {
      fingerprints: [fingerprint, ...ancestorFingerprints(certificate)],
      agentIds: [certificate.agentId, ...facts.ancestorAgentIds],
      riskAgentIds: [certificate.agentId],
    });
    const riskScore = riskScoreOf(state, tenantId, certificate.agentId);
    const own = state.certificates.find((c) => c.fingerprint === fingerprint && c.tenantId === tenantId);
    if (own === undefined) {
      // Certificates are never deleted, so this is a broken store; answering "unknown" is a rejection either way.
      this.facts.forget(tenantId, fingerprint);
      return undefined;
    }
    const agent = state.agents.find((a) => a.id === certificate.agentId);
    return {
      // Object.assign rather than `{ ...facts, status }`: V8 builds a spread-plus-key literal on a slow path.
      record: Object.assign({}, certificate, { status: own.status }),
      lineage: facts.lineage,
      ancestors: state.certificates,
      agent,
      ancestorAgentIds: facts.ancestorAgentIds,
      agents: state.agents,
      riskScore,
    };
  }

  /**
   * The immutable facts of a certificate not yet cached: the record, then its ancestor certificates and its agent's
   * chain in parallel. Cached only when complete; an incomplete chain (a missing ancestor certificate or agent) is
   * returned as it is, and the checks refuse it (a missing ancestor counts as revoked, a missing agent as suspended).
   */
  private async loadFacts(tenantId: string, fingerprint: string): Promise<VerificationFacts | undefined> {
    const record = await callPort('certificate store', () => this.ports.certificates.get(tenantId, fingerprint));
    if (record === undefined || record.tenantId !== tenantId || record.fingerprint !== fingerprint) return undefined;
    const above = ancestorFingerprints(record);
    const [found, agentChain] = await Promise.all([
      above.length === 0
        ? Promise.resolve([])
        : callPort('certificate store', () => this.ports.certificates.getMany(tenantId, above)),
      loadAgentChain(this.ports.agents, tenantId, record.agentId),
    ]);
    const byFingerprint = new Map(found.filter((c) => c.tenantId === tenantId).map((c) => [c.fingerprint, c] as const));
    // Root first: the stored path is root → parent; a parent missing from the path (a corrupt record) goes last.
    const ordered = [...record.ancestors, ...above.filter((fp) => !record.ancestors.includes(fp))];
    const lineage = ordered.flatMap((fp) => {
      const ancestor = byFingerprint.get(fp);
      return ancestor === undefined ? [] : [certificateFactsOf(ancestor, this.scopeOid)];
    });
    const ancestorAgentIds = new Set<string>();
    for (const agent of agentChain ?? []) ancestorAgentIds.add(agent.id);
    // A chain that stops at an agent still naming a parent is broken: ask for the parent anyway, so it reads as absent.
    const top = agentChain?.[0]?.parentAgentId;
    if (top !== undefined) ancestorAgentIds.add(top);
    for (const ancestor of lineage) ancestorAgentIds.add(ancestor.agentId);
    ancestorAgentIds.delete(record.agentId);
    const facts: VerificationFacts = {
      certificate: certificateFactsOf(record, this.scopeOid),
      lineage,
      ancestorAgentIds: [...ancestorAgentIds],
    };
    const complete = agentChain !== undefined && top === undefined && lineage.length === ordered.length;
    return complete ? this.facts.remember(tenantId, fingerprint, facts) : facts;
  }

  private async readState(
    tenantId: string,
    keys: { fingerprints: string[]; agentIds: string[]; riskAgentIds: string[] },
  ): Promise<VerificationState> {
    const unique = {
      fingerprints: [...new Set(keys.fingerprints)],
      agentIds: [...new Set(keys.agentIds)],
      riskAgentIds: keys.riskAgentIds,
    };
    const state = await callPort('certificate store', () =>
      this.ports.certificates.readVerificationState(tenantId, unique),
    );
    // A malformed answer cannot be trusted to show a revocation: refuse to decide rather than pass.
    if (
      state === null ||
      typeof state !== 'object' ||
      !Array.isArray(state.certificates) ||
      !Array.isArray(state.agents) ||
      !Array.isArray(state.risks)
    ) {
      throw new DependencyError('certificate store returned an invalid verification state');
    }
    return state;
  }
}

/**
 * The agent's current score from the state read. No score yet (a new agent) is 0. Anything else must be a number in
 * [0, 1]: a score no threshold can be compared with must not read as "no risk" in enforce mode.
 */
function riskScoreOf(state: VerificationState, tenantId: string, agentId: string): number {
  const risk = state.risks?.find((r) => r !== null && typeof r === 'object' && r.agentId === agentId);
  if (risk === undefined) return 0;
  const score: unknown = risk.tenantId === tenantId ? risk.score : undefined;
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
    throw new DependencyError('verification state holds an invalid risk score');
  }
  return score;
}
