/** Local mode persists under a data directory: stopping and starting again on it keeps tables, items and records. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, describe, expect, it } from 'vitest';
import { createDynamoStores } from '../../../src/adapters/aws/dynamo/index.js';
import { KinesisActionStream } from '../../../src/adapters/aws/kinesis-action-stream.js';
import { startEmulators } from '../../../src/adapters/local/emulators.js';
import { agentRecord, auditInput } from '../support/records.js';

const dataDir = mkdtempSync(join(tmpdir(), 'kakunin-emulators-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('startEmulators with a data directory', () => {
  it('keeps DynamoDB items, the ledger chain and Kinesis records across a restart', async () => {
    const first = await startEmulators({ dataDir });
    const stores = createDynamoStores(first.doc, first.tableNames);
    await stores.agents.create(agentRecord('t1', 'persisted'));
    await stores.ledger.append(auditInput('t1', 1));
    await stores.ledger.append(auditInput('t1', 2));
    expect(await stores.nonces.claim('t1', 'fp', 'nonce-persisted-000001', 1, 10_000)).toBe(true);
    await new KinesisActionStream(first.kinesis, first.streamName).publish({
      tenantId: 't1',
      agentId: 'persisted',
      certificateFingerprint: 'sha256:00',
      actionId: 'act_1',
      payload: { action: 'pay' },
      timestamp: 1,
      verifiedAt: 2,
    });
    await first.stop();

    const second = await startEmulators({ dataDir });
    try {
      const again = createDynamoStores(second.doc, second.tableNames);
      expect(await again.agents.get('t1', 'persisted')).toEqual(agentRecord('t1', 'persisted'));
      expect(await again.nonces.claim('t1', 'fp', 'nonce-persisted-000001', 2, 10_000)).toBe(false);
      expect(await again.ledger.verify('t1')).toMatchObject({ valid: true, entries: 2 });
      expect((await again.ledger.append(auditInput('t1', 3))).seq).toBe(2);

      const shards = await second.kinesis.send(new ListShardsCommand({ StreamName: second.streamName }));
      const iterator = await second.kinesis.send(
        new GetShardIteratorCommand({
          StreamName: second.streamName,
          ShardId: shards.Shards![0]!.ShardId!,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const records = await second.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator! }));
      expect(records.Records).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });

  it('in memory by default: a fresh start has no data', async () => {
    const first = await startEmulators();
    await createDynamoStores(first.doc, first.tableNames).agents.create(agentRecord('t1', 'ephemeral'));
    await first.stop();
    const second = await startEmulators();
    try {
      expect(await createDynamoStores(second.doc, second.tableNames).agents.get('t1', 'ephemeral')).toBeUndefined();
      expect(second.dynamoSocket).not.toBe(first.dynamoSocket); // a fresh private directory each time
    } finally {
      await second.stop();
    }
  });
});
