/** API keys in the registry table, addressed by the SHA-256 of the key: pk = APIKEY#<keyHash>, sk = APIKEY. */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord } from '../../../core/model.js';
import type { ApiKeyStore } from '../../../ports.js';
import { call, key, putNew, stripStorageAttributes } from './dynamo-support.js';
import type { TableNames } from './tables.js';

const apiKeyKey = (keyHash: string) => ({ pk: key('APIKEY', keyHash), sk: 'APIKEY' });

export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async put(record: ApiKeyRecord): Promise<void> {
    await putNew(
      this.doc,
      this.tables.registry,
      { ...apiKeyKey(record.keyHash), itemType: 'api-key', ...record },
      'api key put',
      'api key exists',
    );
  }

  async getByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const out = await call('api key get', () =>
      this.doc.send(new GetCommand({ TableName: this.tables.registry, Key: apiKeyKey(keyHash), ConsistentRead: true })),
    );
    return out.Item ? (stripStorageAttributes(out.Item) as unknown as ApiKeyRecord) : undefined;
  }
}
