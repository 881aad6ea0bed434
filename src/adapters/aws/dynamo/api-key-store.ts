/** API keys in the registry table, addressed by the SHA-256 of the key: pk = APIKEY#<keyHash>, sk = APIKEY. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { KakuninError } from '../../../core/errors.js';
import type { ApiKeyRecord } from '../../../core/model.js';
import type { ApiKeyStore } from '../../../ports.js';
import { call, isConditionalFailure, key, stripStorageAttributes, toDependencyError } from './dynamo-support.js';
import type { TableNames } from './tables.js';

const apiKeyKey = (keyHash: string) => ({ pk: key('APIKEY', keyHash), sk: 'APIKEY' });

export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async put(record: ApiKeyRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.registry,
          Item: { ...apiKeyKey(record.keyHash), itemType: 'api-key', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionalFailure(error)) throw new KakuninError('CONFLICT', 'api key exists');
      throw toDependencyError('api key put', error);
    }
  }

  async getByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const out = await call('api key get', () =>
      this.doc.send(new GetCommand({ TableName: this.tables.registry, Key: apiKeyKey(keyHash), ConsistentRead: true })),
    );
    return out.Item ? (stripStorageAttributes(out.Item) as unknown as ApiKeyRecord) : undefined;
  }
}
