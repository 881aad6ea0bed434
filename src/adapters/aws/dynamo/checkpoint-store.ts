/**
 * Signed checkpoints in the ledger table (docs/data-model.md "ledger"): pk = `CP#<tenant id>`, sk = tree size, the
 * signed note and its time. Put-only and conditional on the size being new, like the entries (the table's resource
 * policy denies updates and deletes); the immutable copies are in the archive (Object Lock bucket).
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckpointStore, StoredCheckpoint } from '../../../ports.js';
import { call, isConditionalFailure, toDependencyError } from './dynamo-support.js';
import { queryAll } from './query-all.js';
import type { TableNames } from './tables.js';

const pkOf = (tenantId: string) => `CP#${tenantId}`;

function fromItem(item: Record<string, unknown>): StoredCheckpoint {
  return { size: Number(item.sk), note: String(item.note), createdAt: Number(item.createdAt) };
}

export class DynamoCheckpointStore implements CheckpointStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async put(tenantId: string, checkpoint: StoredCheckpoint): Promise<StoredCheckpoint> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.ledger,
          Item: { pk: pkOf(tenantId), sk: checkpoint.size, note: checkpoint.note, createdAt: checkpoint.createdAt },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
      return checkpoint;
    } catch (error) {
      if (!isConditionalFailure(error)) throw toDependencyError('checkpoint put', error);
    }
    // Another writer stored this size first: same tree, same root; theirs stands.
    return (await this.list(tenantId)).find((c) => c.size === checkpoint.size) ?? checkpoint;
  }

  async latest(tenantId: string): Promise<StoredCheckpoint | undefined> {
    const out = await call('checkpoint latest', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tables.ledger,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pkOf(tenantId) },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = out.Items?.[0];
    return item === undefined ? undefined : fromItem(item);
  }

  async list(tenantId: string): Promise<StoredCheckpoint[]> {
    const items = await queryAll(this.doc, 'checkpoint list', {
      TableName: this.tables.ledger,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pkOf(tenantId) },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  }
}
