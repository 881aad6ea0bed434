/**
 * Local mode's event source mapping over kinesalite: the poller hands the consumer handler the same event shape the
 * Lambda gets, retries from the first reported failure, isolates and parks a poison record without blocking the
 * records behind it, and resumes after a restart from its checkpoint (nothing replayed, nothing skipped).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { createActionConsumerHandler } from '../../../functions/action-consumer.js';
import { KinesisActionStream } from '../../../src/adapters/aws/kinesis-action-stream.js';
import { KinesisPoller } from '../../../src/adapters/local/kinesis-poller.js';
import { MemoryBehaviorStore } from '../../../src/adapters/memory/memory-monitoring.js';
import { MemoryAgentStore } from '../../../src/adapters/memory/memory-stores.js';
import { MemoryEventPublisher } from '../../../src/adapters/memory/memory-streams.js';
import type { VerifiedAction } from '../../../src/core/model.js';
import { ActionConsumer } from '../../../src/core/monitoring/action-consumer.js';
import { scriptedEngine } from '../../unit/core/monitoring/scripted-engine.js';
import { useEmulators } from '../support/emulators.js';

const env = useEmulators();
const T = 'tenant-poller';
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Polls `check` until it holds (the poller runs on its own schedule); fails after `timeoutMs`. */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const action = (i: number, agentId: string): VerifiedAction => ({
  tenantId: T,
  agentId,
  certificateFingerprint: `sha256:${'b'.repeat(64)}`,
  actionId: `act_${agentId}_${i}`,
  payload: { action: 'charge', amount: 10, currency: 'EUR', score: 0.1 },
  timestamp: 1_764_190_000_000 + i,
  verifiedAt: 1_764_190_000_000 + i,
});

describe('KinesisPoller over kinesalite', () => {
  it('feeds the consumer handler, parks a poison record, and resumes from its checkpoint', async () => {
    const { kinesis, streamName } = env();
    const dir = await mkdtemp(join(tmpdir(), 'kakunin-poller-'));
    dirs.push(dir);
    const agents = new MemoryAgentStore();
    const agentId = 'a_poller000000000000';
    await agents.create({
      tenantId: T,
      id: agentId,
      name: 'p',
      metadata: {},
      mode: 'observe',
      warningThreshold: 0.75,
      anomalyThreshold: 0.85,
      status: 'active',
      createdAt: 0,
    });
    const behavior = new MemoryBehaviorStore();
    const consumer = new ActionConsumer({
      engine: scriptedEngine(),
      behavior,
      agents,
      events: new MemoryEventPublisher(),
      clock: { now: () => Date.now() },
      revokeForAnomaly: async () => undefined,
    });
    const events: KinesisStreamEvent[] = [];
    const inner = createActionConsumerHandler(async () => ({ consumer }));
    const handler = async (event: KinesisStreamEvent) => {
      events.push(event);
      return inner(event);
    };
    const parked: string[] = [];
    const checkpointFile = join(dir, 'checkpoint.json');
    const start = () =>
      new KinesisPoller({
        kinesis,
        streamName,
        handler,
        checkpointFile,
        pollIntervalMs: 20,
        maxRetries: 2,
        onPoison: (r) => {
          parked.push(r.sequenceNumber);
        },
      });

    const stream = new KinesisActionStream(kinesis, streamName);
    await stream.publish(action(1, agentId));
    const poison = await kinesis.send(
      new PutRecordCommand({
        StreamName: streamName,
        PartitionKey: agentId,
        Data: new TextEncoder().encode('{not json'),
      }),
    );
    await stream.publish(action(2, agentId));

    const applied = async () => {
      const record = await behavior.load(T, agentId);
      return record.state === undefined ? [] : (scriptedEngine().decode(record.state) as { seen: string[] }).seen;
    };
    const poller = start();
    await poller.start();
    await until(async () => parked.length === 1 && (await applied()).length === 2);
    expect(parked).toEqual([poison.SequenceNumber]);
    // The poison record did not hold back the record behind it, and each action was applied once, in order.
    expect(await applied()).toEqual([`act_${agentId}_1`, `act_${agentId}_2`]);
    // The Lambda event shape: base64 data, sequence numbers, the aws:kinesis source.
    expect(events[0]!.Records[0]!).toMatchObject({ eventSource: 'aws:kinesis', kinesis: { partitionKey: agentId } });
    // Wait for the checkpoint to pass the last record (stopping earlier would redeliver it: harmless, see below).
    const lastSeen = () =>
      events
        .flatMap((e) => e.Records.map((r) => BigInt(r.kinesis.sequenceNumber)))
        .sort()
        .at(-1);
    const checkpointed = async () =>
      Object.values(JSON.parse(await readFile(checkpointFile, 'utf8').catch(() => '{}')) as Record<string, string>);
    await until(async () => (await checkpointed())[0] === String(lastSeen()));
    await poller.stop();

    // Restart: only the record published after the stop is handed over.
    const handledBefore = events.flatMap((e) => e.Records).length;
    await stream.publish(action(3, agentId));
    const again = start();
    await again.start();
    await until(async () => (await applied()).length === 3);
    await again.stop();
    const handledAfter = events.flatMap((e) => e.Records).slice(handledBefore);
    expect(handledAfter.map((r) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString()).actionId)).toEqual([
      `act_${agentId}_3`,
    ]);
    expect(await applied()).toEqual([1, 2, 3].map((i) => `act_${agentId}_${i}`));
  });
});
