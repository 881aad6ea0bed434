import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTables, TABLES } from '../../../src/adapters/aws/dynamo/tables.js';
import { useEmulators } from '../support/emulators.js';

const env = useEmulators();

describe('table definitions against dynalite', () => {
  it('creates the tables with exactly the key schemas other components rely on', async () => {
    const { dynamo, tableNames } = env();
    const registry = (await dynamo.send(new DescribeTableCommand({ TableName: tableNames.registry }))).Table!;
    expect(registry.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(
      registry.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.Projection?.ProjectionType]),
    ).toEqual([
      [
        'gsi1',
        [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        'ALL',
      ],
      [
        'gsi2',
        [
          { AttributeName: 'gsi2pk', KeyType: 'HASH' },
          { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
        ],
        'ALL',
      ],
    ]);
    const nonces = (await dynamo.send(new DescribeTableCommand({ TableName: tableNames.nonces }))).Table!;
    expect(nonces.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    const ledger = (await dynamo.send(new DescribeTableCommand({ TableName: tableNames.ledger }))).Table!;
    expect(ledger.AttributeDefinitions).toContainEqual({ AttributeName: 'sk', AttributeType: 'N' });
    expect(ledger.GlobalSecondaryIndexes ?? []).toEqual([]);
  });

  it('createTables is idempotent', async () => {
    await expect(createTables(env().dynamo, env().tableNames)).resolves.toBeUndefined();
  });

  it('declares TTL on nonces and counters only', () => {
    expect(TABLES.nonces.ttlAttribute).toBe('expiresAt');
    expect(TABLES.counters.ttlAttribute).toBe('expiresAt');
    expect('ttlAttribute' in TABLES.ledger).toBe(false);
    expect('ttlAttribute' in TABLES.registry).toBe(false);
  });
});
