/**
 * The behavioural pipeline's consumer: applies a batch of verified actions from the action stream to each agent's
 * state, then acts on the result (docs/behavior.md, "Pipeline"). The same code runs as the Kinesis-triggered Lambda
 * and under local mode's kinesalite poller.
 *
 * Per agent in a batch: load the record (version n) → apply the agent's actions oldest first (the engine drops an
 * action id it has already applied, so a redelivered record changes nothing) → announce the warning and revoke →
 * save conditionally on version n. Announcing before saving means a crash in between repeats the effects on
 * redelivery instead of losing them; both are idempotent (the warning's id is derived from its episode, revocation
 * keeps its first time). A save that loses the version race is recomputed from the winner's state, so two consumers
 * can never both apply a batch.
 *
 * Failures are per agent: a poison record, or an agent whose dependencies failed, is reported by sequence number and
 * nothing else waits for it (the stream retries from there, bisects, and finally parks it on the on-failure
 * destination; local mode's poller does the same).
 */

import type { AgentStore, BehaviorRecord, BehaviorStore, Clock, EventPublisher } from '../../ports.js';
import { loadAgentChain } from '../authorization/agent-chain.js';
import { effectiveMonitoringSettings, type MonitoringSettings } from '../authorization/effective-settings.js';
import type { BehaviorAction, BehaviorEngine, LockedBaseline } from '../behavior/index.js';
import type { BaselineLock, KakuninEvent, RiskBand, RiskContribution, VerifiedAction } from '../model.js';
import { riskBand } from '../model.js';
import { preRevocationWarning } from './monitoring-events.js';

/** Conditional-save attempts before the agent's records are reported failed (and retried by the stream). */
const MAX_SAVE_ATTEMPTS = 5;

export interface StreamRecord {
  /** Kinesis sequence number: what a failure is reported by. */
  sequenceNumber: string;
  /** Undefined for a poison record. */
  action: VerifiedAction | undefined;
}

export interface AnomalyRevocation {
  tenantId: string;
  agentId: string;
  /** The audit id of the verified action whose score reached the threshold. */
  actionId: string;
  certificateFingerprint: string;
  riskScore: number;
  anomalyStart: number;
}

/** What the consumer did, for logs and metrics (ids and counts only, never payloads). */
export interface ConsumerOutcome {
  failedSequenceNumbers: string[];
  applied: number;
  duplicates: number;
  warnings: number;
  revocations: number;
  poison: number;
  /** Band of each agent's score after its batch. */
  bands: Record<RiskBand, number>;
}

export interface ActionConsumerDeps {
  engine: BehaviorEngine;
  behavior: BehaviorStore;
  agents: AgentStore;
  events: EventPublisher;
  /** Revokes through the service's one revocation path (cascade, CRL, audit, `agent.certificate_revoked`). */
  revokeForAnomaly(revocation: AnomalyRevocation): Promise<void>;
  clock: Clock;
  /** Told about each agent whose batch failed (ids and error name only). */
  onAgentFailure?: (failure: { tenantId: string; agentId: string; error: unknown }) => void;
}

interface AgentBatch {
  tenantId: string;
  agentId: string;
  records: { sequenceNumber: string; action: VerifiedAction }[];
}

export class ActionConsumer {
  constructor(private readonly deps: ActionConsumerDeps) {}

  async consume(records: readonly StreamRecord[]): Promise<ConsumerOutcome> {
    const outcome: ConsumerOutcome = {
      failedSequenceNumbers: [],
      applied: 0,
      duplicates: 0,
      warnings: 0,
      revocations: 0,
      poison: 0,
      bands: { low: 0, medium: 0, high: 0, critical: 0 },
    };
    const batches = new Map<string, AgentBatch>();
    for (const record of records) {
      if (record.action === undefined) {
        outcome.poison += 1;
        outcome.failedSequenceNumbers.push(record.sequenceNumber);
        continue;
      }
      const { tenantId, agentId } = record.action;
      const key = JSON.stringify([tenantId, agentId]);
      let batch = batches.get(key);
      if (batch === undefined) {
        batch = { tenantId, agentId, records: [] };
        batches.set(key, batch);
      }
      batch.records.push({ sequenceNumber: record.sequenceNumber, action: record.action });
    }
    // Agents are independent: one agent's failure must not hold back another's (partition key = agent id).
    await Promise.all(
      [...batches.values()].map(async (batch) => {
        try {
          await this.consumeAgent(batch, outcome);
        } catch (error) {
          this.deps.onAgentFailure?.({ tenantId: batch.tenantId, agentId: batch.agentId, error });
          for (const record of batch.records) outcome.failedSequenceNumbers.push(record.sequenceNumber);
        }
      }),
    );
    return outcome;
  }

  private async consumeAgent(batch: AgentBatch, outcome: ConsumerOutcome): Promise<void> {
    const settings = await this.effectiveSettings(batch.tenantId, batch.agentId);
    if (settings === undefined) return; // An agent that no longer exists has nothing to monitor.
    // Oldest first: records of one agent arrive in order on one shard, but a retried or resharded stream may not.
    const actions = batch.records
      .map((record) => toBehaviorAction(record.action))
      // A stable sort: actions verified in the same millisecond keep their stream order.
      .sort((a, b) => a.at - b.at);
    for (let attempt = 1; ; attempt += 1) {
      const record = await this.deps.behavior.load(batch.tenantId, batch.agentId);
      const result = await this.applyAll(record, actions, settings, batch);
      if (result === undefined) return; // every action was a duplicate: nothing to save
      const saved = await this.deps.behavior.save(batch.tenantId, batch.agentId, record.version, result.update);
      if (saved) {
        outcome.applied += result.applied;
        outcome.duplicates += actions.length - result.applied;
        outcome.warnings += result.warnings;
        outcome.revocations += result.revocations;
        outcome.bands[result.update.risk.band] += 1;
        return;
      }
      if (attempt >= MAX_SAVE_ATTEMPTS) throw new Error('behaviour state save kept losing the version race');
    }
  }

  private async applyAll(
    record: BehaviorRecord,
    actions: BehaviorAction[],
    settings: MonitoringSettings,
    batch: AgentBatch,
  ) {
    const { engine } = this.deps;
    const first = actions[0];
    if (first === undefined) return undefined;
    let state = record.state === undefined ? engine.create(batch.agentId, first.at) : engine.decode(record.state);
    const baseline = toLockedBaseline(record.baseline);
    let applied = 0;
    let warnings = 0;
    let revocations = 0;
    let last: { score: number; contributions: RiskContribution[]; at: number } | undefined;
    let lastActionAt = 0;
    for (const action of actions) {
      const result = engine.apply(state, action, settings, baseline);
      if (result.duplicate) continue;
      state = result.state;
      applied += 1;
      lastActionAt = Math.max(lastActionAt, action.at);
      const { score, contributions, at } = result.assessment;
      last = { score, contributions: contributions as RiskContribution[], at };
      const anomalyStart = result.episodeStart ?? action.at;
      if (result.warn) {
        warnings += 1;
        await this.announce(
          preRevocationWarning({
            tenantId: batch.tenantId,
            agentId: batch.agentId,
            certificateFingerprint: action.certificateFingerprint ?? '',
            riskScore: score,
            contributions: last.contributions,
            anomalyStart,
            now: this.deps.clock.now(),
          }),
        );
      }
      // The engine only says revoke in enforce mode; the check here is a second lock on the same door.
      if (result.revoke && settings.mode === 'enforce' && action.certificateFingerprint !== undefined) {
        revocations += 1;
        await this.deps.revokeForAnomaly({
          tenantId: batch.tenantId,
          agentId: batch.agentId,
          actionId: action.id,
          certificateFingerprint: action.certificateFingerprint,
          riskScore: score,
          anomalyStart,
        });
      }
    }
    if (last === undefined) return undefined;
    return {
      applied,
      warnings,
      revocations,
      update: {
        state: engine.encode(state),
        risk: { score: last.score, band: riskBand(last.score), contributions: last.contributions, updatedAt: last.at },
        lastActionAt,
      },
    };
  }

  /** A lost warning is worse than a repeated one: a bus failure fails the agent's records, which are retried. */
  private async announce(event: KakuninEvent): Promise<void> {
    await this.deps.events.publish(event);
  }

  /**
   * The settings that bind the agent: the strictest along its chain (docs/api.md §3). Undefined when the agent is
   * unknown. A chain that could not be read to its root is an error (retried, then parked), never looser settings.
   */
  private async effectiveSettings(tenantId: string, agentId: string): Promise<MonitoringSettings | undefined> {
    const chain = await loadAgentChain(this.deps.agents, tenantId, agentId);
    if (chain === undefined) return undefined;
    if (chain[0]?.parentAgentId !== undefined) throw new Error('agent chain could not be read to its root');
    return effectiveMonitoringSettings(chain);
  }
}

function toBehaviorAction(action: VerifiedAction): BehaviorAction {
  const out: BehaviorAction = {
    id: action.actionId,
    agentId: action.agentId,
    certificateFingerprint: action.certificateFingerprint,
    at: action.verifiedAt,
    payload: action.payload,
  };
  if (action.origin !== undefined) out.origin = action.origin;
  return out;
}

export function toLockedBaseline(lock: BaselineLock | undefined): LockedBaseline | undefined {
  if (lock === undefined) return undefined;
  const { lockedAt: _at, lockedBy: _by, ...baseline } = lock;
  return baseline;
}
