import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { KinesisActionStream } from '../../../src/adapters/aws/kinesis-action-stream.js';
import { DependencyError } from '../../../src/core/errors.js';
import type { VerifiedAction } from '../../../src/core/model.js';
import { useEmulators } from '../support/emulators.js';

const env = useEmulators();

const action = (i: number): VerifiedAction => ({
  tenantId: 'tenant-1',
  agentId: 'agent-7',
  certificateFingerprint: `sha256:${'a'.repeat(64)}`,
  actionId: `act_${i}`,
  payload: { action: 'pay', amount: 12.5, currency: 'EUR', counterparty: 'acme' },
  timestamp: 1_764_190_000_000 + i,
  verifiedAt: 1_764_190_000_100 + i,
});

describe('KinesisActionStream against kinesalite', () => {
  it('publishes JSON records keyed by agent id, readable back in order', async () => {
    const { kinesis, streamName } = env();
    const stream = new KinesisActionStream(kinesis, streamName);
    for (let i = 0; i < 3; i += 1) await stream.publish(action(i));

    const shards = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
    const iterator = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shards.Shards![0]!.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const records = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator! }));
    const decoded = (records.Records ?? []).map((r) => ({
      key: r.PartitionKey,
      action: JSON.parse(new TextDecoder().decode(r.Data)) as VerifiedAction,
    }));
    expect(decoded.map((d) => d.key)).toEqual(['agent-7', 'agent-7', 'agent-7']);
    expect(decoded.map((d) => d.action)).toEqual([action(0), action(1), action(2)]);
  });

  it('maps a missing stream to DependencyError', async () => {
    const stream = new KinesisActionStream(env().kinesis, 'no-such-stream');
    await expect(stream.publish(action(9))).rejects.toBeInstanceOf(DependencyError);
  });

  it('refuses an action without a usable partition key', async () => {
    const stream = new KinesisActionStream(env().kinesis, env().streamName);
    await expect(stream.publish({ ...action(1), agentId: '' })).rejects.toBeInstanceOf(DependencyError);
  });
});
