/**
 * The consumer's own rules, with the scripted engine (its score is the action's `payload.score`): per-agent batches,
 * redelivery, out-of-order records, poison records, the version race, warning once per episode, revocation only in
 * enforce mode, effective settings along the agent chain, and per-agent failure isolation.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryBehaviorStore } from '../../../../src/adapters/memory/memory-monitoring.js';
import { MemoryAgentStore } from '../../../../src/adapters/memory/memory-stores.js';
import { MemoryEventPublisher } from '../../../../src/adapters/memory/memory-streams.js';
import type { AgentRecord, VerifiedAction } from '../../../../src/core/model.js';
import {
  ActionConsumer,
  type AnomalyRevocation,
  type StreamRecord,
} from '../../../../src/core/monitoring/action-consumer.js';
import { scriptedEngine } from './scripted-engine.js';

const T = 'tenant1';
const NOW = Date.UTC(2026, 0, 15, 12);

function agent(id: string, extra: Partial<AgentRecord> = {}): AgentRecord {
  return {
    tenantId: T,
    id,
    name: id,
    metadata: {},
    mode: 'enforce',
    warningThreshold: 0.75,
    anomalyThreshold: 0.85,
    status: 'active',
    createdAt: NOW,
    ...extra,
  };
}

let seq = 0;
function record(agentId: string, score: number, at: number, actionId = `act_${++seq}`): StreamRecord {
  const action: VerifiedAction = {
    tenantId: T,
    agentId,
    certificateFingerprint: `sha256:${'a'.repeat(64)}`,
    actionId,
    payload: { action: 'charge', amount: 9900, currency: 'EUR', score },
    timestamp: at,
    verifiedAt: at,
  };
  return { sequenceNumber: String(1000 + seq), action };
}

describe('ActionConsumer', () => {
  let agents: MemoryAgentStore;
  let behavior: MemoryBehaviorStore;
  let events: MemoryEventPublisher;
  let revocations: AnomalyRevocation[];
  let consumer: ActionConsumer;

  beforeEach(async () => {
    agents = new MemoryAgentStore();
    behavior = new MemoryBehaviorStore();
    events = new MemoryEventPublisher();
    revocations = [];
    await agents.create(agent('a_enforce0000000000'));
    await agents.create(agent('a_observe0000000000', { mode: 'observe' }));
    consumer = new ActionConsumer({
      engine: scriptedEngine(),
      behavior,
      agents,
      events,
      clock: { now: () => NOW },
      revokeForAnomaly: async (r) => {
        revocations.push(r);
      },
    });
  });

  it('stores the score, contributions and band of each agent after its batch', async () => {
    const outcome = await consumer.consume([
      record('a_enforce0000000000', 0.2, NOW),
      record('a_enforce0000000000', 0.5, NOW + 1),
    ]);
    expect(outcome).toMatchObject({ applied: 2, failedSequenceNumbers: [], warnings: 0, revocations: 0 });
    const stored = await behavior.load(T, 'a_enforce0000000000');
    expect(stored.version).toBe(1);
    expect(stored.risk).toMatchObject({ score: 0.5, band: 'medium', updatedAt: NOW + 1 });
    expect(stored.risk?.contributions?.[0]).toMatchObject({ signal: 'scripted', value: 1 });
    expect(await behavior.current(T, 'a_enforce0000000000')).toEqual({
      score: 0.5,
      band: 'medium',
      updatedAt: NOW + 1,
    });
  });

  it('warns once per episode and revokes once in enforce mode, with the episode start', async () => {
    const r1 = record('a_enforce0000000000', 0.8, NOW + 10);
    const r2 = record('a_enforce0000000000', 0.9, NOW + 20);
    const r3 = record('a_enforce0000000000', 0.95, NOW + 30);
    const outcome = await consumer.consume([r1, r2, r3]);
    expect(outcome).toMatchObject({ warnings: 1, revocations: 1 });
    expect(events.published).toHaveLength(1);
    const warning = events.published[0]!;
    expect(warning).toMatchObject({
      type: 'agent.pre_revocation_warning',
      tenantId: T,
      data: {
        agent_id: 'a_enforce0000000000',
        certificate_fingerprint: `sha256:${'a'.repeat(64)}`,
        risk_score: 0.8,
        anomaly_start: new Date(NOW + 10).toISOString(),
      },
    });
    expect(warning.data.anomaly_details).toEqual([expect.objectContaining({ signal: 'scripted' })]);
    expect(revocations).toEqual([
      {
        tenantId: T,
        agentId: 'a_enforce0000000000',
        actionId: r2.action!.actionId,
        certificateFingerprint: `sha256:${'a'.repeat(64)}`,
        riskScore: 0.9,
        anomalyStart: NOW + 10,
      },
    ]);
  });

  it('never revokes in observe mode, but warns', async () => {
    const outcome = await consumer.consume([record('a_observe0000000000', 0.99, NOW)]);
    expect(outcome).toMatchObject({ warnings: 1, revocations: 0 });
    expect(revocations).toEqual([]);
  });

  it('applies the strictest settings along the agent chain: an enforcing parent makes its child enforce', async () => {
    await agents.create(
      agent('a_parent00000000000', { mode: 'enforce', anomalyThreshold: 0.6, warningThreshold: 0.5 }),
    );
    await agents.create(agent('a_child000000000000', { mode: 'observe', parentAgentId: 'a_parent00000000000' }));
    await consumer.consume([record('a_child000000000000', 0.65, NOW)]);
    expect(revocations.map((r) => r.agentId)).toEqual(['a_child000000000000']);
    expect(events.published.map((e) => e.type)).toEqual(['agent.pre_revocation_warning']);
  });

  it('is idempotent under redelivery: the same records again change nothing and raise nothing', async () => {
    const batch = [record('a_enforce0000000000', 0.8, NOW), record('a_enforce0000000000', 0.9, NOW + 1)];
    await consumer.consume(batch);
    const before = await behavior.load(T, 'a_enforce0000000000');
    const again = await consumer.consume(batch);
    expect(again).toMatchObject({ applied: 0, duplicates: 0, warnings: 0, revocations: 0, failedSequenceNumbers: [] });
    expect(await behavior.load(T, 'a_enforce0000000000')).toEqual(before);
    expect(events.published).toHaveLength(1);
    expect(revocations).toHaveLength(1);
  });

  it('applies one agent’s records oldest first whatever order they arrive in', async () => {
    // Delivered newest first: applied in time order, the last applied (and stored) score is the newest one's.
    await consumer.consume([
      record('a_enforce0000000000', 0.1, NOW + 50),
      record('a_enforce0000000000', 0.7, NOW + 10),
    ]);
    expect((await behavior.load(T, 'a_enforce0000000000')).risk).toMatchObject({ score: 0.1, updatedAt: NOW + 50 });
  });

  it('reports a poison record by its sequence number and still applies the others', async () => {
    const good = record('a_enforce0000000000', 0.2, NOW);
    const outcome = await consumer.consume([{ sequenceNumber: '999', action: undefined }, good]);
    expect(outcome.failedSequenceNumbers).toEqual(['999']);
    expect(outcome.poison).toBe(1);
    expect(outcome.applied).toBe(1);
  });

  it('fails only the agent whose save failed; the next delivery applies it', async () => {
    await agents.create(agent('a_other000000000000'));
    behavior.failNextSave = true;
    const a = record('a_enforce0000000000', 0.2, NOW);
    const b = record('a_other000000000000', 0.3, NOW);
    const outcome = await consumer.consume([a, b]);
    expect(outcome.failedSequenceNumbers).toHaveLength(1);
    expect(outcome.applied).toBe(1);
    const failedSeq = outcome.failedSequenceNumbers[0];
    const failed = [a, b].find((r) => r.sequenceNumber === failedSeq)!;
    const retry = await consumer.consume([failed]);
    expect(retry).toMatchObject({ applied: 1, failedSequenceNumbers: [] });
  });

  it('two consumers racing on one agent never both apply: the loser recomputes from the winner', async () => {
    const second = new ActionConsumer({
      engine: scriptedEngine(),
      behavior,
      agents,
      events,
      clock: { now: () => NOW },
      revokeForAnomaly: async (r) => {
        revocations.push(r);
      },
    });
    const shared = record('a_enforce0000000000', 0.8, NOW);
    const onlyX = record('a_enforce0000000000', 0.1, NOW + 5);
    const onlyY = record('a_enforce0000000000', 0.2, NOW + 7);
    const [x, y] = await Promise.all([consumer.consume([shared, onlyX]), second.consume([shared, onlyY])]);
    const stored = await behavior.load(T, 'a_enforce0000000000');
    // Both loaded version 0; exactly one save won, the other lost the race, reloaded and applied only what was new.
    expect(stored.version).toBe(2);
    expect(x.applied + y.applied).toBe(3);
    const state = scriptedEngine().decode(stored.state!) as { seen: string[] };
    expect([...state.seen].sort()).toEqual([shared, onlyX, onlyY].map((r) => r.action!.actionId).sort());
  });

  it('ignores actions of an agent that no longer exists', async () => {
    const outcome = await consumer.consume([record('a_gone00000000000000', 0.99, NOW)]);
    expect(outcome).toMatchObject({ applied: 0, failedSequenceNumbers: [] });
  });
});
