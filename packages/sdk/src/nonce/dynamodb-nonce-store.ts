/**
 * A NonceStore in a DynamoDB table, shared by every verifier process that uses the table. One item per
 * (certificate, nonce); a claim is one conditional PutItem that succeeds only when no live claim exists, so of any
 * number of concurrent claims exactly one wins (DynamoDB serialises conditional writes per item). An expired claim
 * counts as absent in the condition, because TTL deletion lags (up to 48 h). Enable TTL on `expiresAt` to have
 * DynamoDB delete old claims.
 *
 * Table: partition key `pk` (String); nothing else. Grant the verifier `dynamodb:PutItem` on it, nothing more.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  DynamoDBClient as DynamoDBClientClass,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { NonceStore } from './nonce-store.js';

export interface DynamoDbNonceStoreOptions {
  tableName: string;
  /** @default a new DynamoDBClient() with the default credential chain */
  client?: DynamoDBClient;
  /** Prefix of every key, so several verifiers (or tenants) can share a table. @default 'nonce' */
  keyPrefix?: string;
  /** @default Date.now */
  now?: () => number;
}

export class DynamoDbNonceStore implements NonceStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(options: DynamoDbNonceStoreOptions) {
    if (typeof options.tableName !== 'string' || options.tableName.length < 3)
      throw new TypeError('tableName is required');
    this.client = options.client ?? new DynamoDBClientClass({});
    this.tableName = options.tableName;
    this.prefix = options.keyPrefix ?? 'nonce';
    this.now = options.now ?? Date.now;
  }

  async claim(certificateFingerprint: string, nonce: string, expiresAt: number): Promise<boolean> {
    if (!Number.isFinite(expiresAt)) throw new TypeError('expiresAt must be a finite epoch-ms time');
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: `${this.prefix}#${certificateFingerprint}#${nonce}` },
            // TTL wants epoch seconds; rounded up so the item is never deleted before the claim expires.
            expiresAt: { N: String(Math.ceil(expiresAt / 1_000)) },
            // The condition needs millisecond precision.
            expiresAtMs: { N: String(expiresAt) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now',
          ExpressionAttributeValues: { ':now': { N: String(this.now()) } },
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as { name?: string }).name === 'ConditionalCheckFailedException'
      ) {
        return false;
      }
      throw error; // the verifier turns this into a closed failure (UNAVAILABLE)
    }
  }
}
