/**
 * The four DynamoDB tables, described once and used twice: local mode and the integration tests create them against
 * dynalite with `createTables`, and the CDK stack builds `aws_dynamodb.Table`s from `TABLES`. Key schemas here are
 * the contract between the stores and the stack; docs/data-model.md explains every item shape.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';

/** Physical table names; the same shape as AppConfig['tables']. */
export interface TableNames {
  registry: string;
  nonces: string;
  counters: string;
  ledger: string;
}

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface GlobalIndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  /** Every index projects ALL attributes, so a query never needs a second read. */
  projection: 'ALL';
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalSecondaryIndexes: readonly GlobalIndexDefinition[];
  /** Epoch-SECONDS attribute DynamoDB's TTL deletes on (with a lag of up to 48 h: stores never rely on it). */
  ttlAttribute?: string;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });

export const TABLES = {
  /** Single table: agents, certificates, revocation markers, API keys, root CA, tenants, CRL numbers. */
  registry: {
    partitionKey: S('pk'),
    sortKey: S('sk'),
    globalSecondaryIndexes: [
      { indexName: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk'), projection: 'ALL' },
      { indexName: 'gsi2', partitionKey: S('gsi2pk'), sortKey: S('gsi2sk'), projection: 'ALL' },
    ],
  },
  /** One item per (tenant, certificate, nonce) claim. */
  nonces: { partitionKey: S('pk'), globalSecondaryIndexes: [], ttlAttribute: 'expiresAt' },
  /** Velocity counters: per certificate, one sliding-hour item and one item per UTC day. */
  counters: { partitionKey: S('pk'), sortKey: S('sk'), globalSecondaryIndexes: [], ttlAttribute: 'expiresAt' },
  /** Append-only hash chain: pk = tenant id, sk = seq. The deployed table denies Update/Delete. */
  ledger: { partitionKey: S('pk'), sortKey: { name: 'sk', type: 'N' }, globalSecondaryIndexes: [] },
} as const satisfies Record<keyof TableNames, TableDefinition>;

export const REGISTRY_INDEX = { children: 'gsi1', agents: 'gsi1', certificatesOfAgent: 'gsi2' } as const;

/** The CreateTable request for one table (on-demand billing, as deployed). */
export function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const keyAttributes = [
    definition.partitionKey,
    ...(definition.sortKey ? [definition.sortKey] : []),
    ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const unique = [...new Map(keyAttributes.map((a) => [a.name, a])).values()];
  const keySchema = (hash: KeyAttribute, range?: KeyAttribute) => [
    { AttributeName: hash.name, KeyType: 'HASH' as const },
    ...(range ? [{ AttributeName: range.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: unique.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: keySchema(definition.partitionKey, definition.sortKey),
    ...(definition.globalSecondaryIndexes.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: index.projection },
          })),
        }),
  };
}

/**
 * Creates the four tables and waits until each is ACTIVE. Idempotent: an existing table is left as it is.
 * TTL is not switched on here (dynalite has no UpdateTimeToLive); the CDK stack enables it from `ttlAttribute`.
 */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  const logical = Object.keys(TABLES) as (keyof TableNames)[];
  await Promise.all(
    logical.map(async (name) => {
      try {
        await client.send(new CreateTableCommand(createTableInput(TABLES[name], names[name])));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      await waitUntilActive(client, names[name]);
    }),
  );
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (described.Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (described.Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
