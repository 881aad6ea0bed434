/**
 * Replay protection. One item per (tenant, certificate, nonce): pk = <tenant>#<fp>#<nonce>. A claim is one
 * conditional PutItem that succeeds only if no live claim exists, so of any number of concurrent claims exactly one
 * wins (DynamoDB serialises conditional writes per item). An expired claim counts as absent in the condition,
 * because TTL deletion lags by up to 48 h and dynalite never deletes at all.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { invalidRequest } from '../../../core/errors.js';
import type { NonceStore } from '../../../ports.js';
import { isConditionalFailure, key, toDependencyError } from './dynamo-support.js';
import type { TableNames } from './tables.js';

export class DynamoNonceStore implements NonceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async claim(tenantId: string, fingerprint: string, nonce: string, now: number, expiresAt: number): Promise<boolean> {
    if (!Number.isFinite(now) || !Number.isFinite(expiresAt)) throw invalidRequest('invalid nonce expiry');
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.nonces,
          Item: {
            pk: key(tenantId, fingerprint, nonce),
            // TTL wants epoch seconds; round up so the item is never deleted before the claim expires.
            expiresAt: Math.ceil(expiresAt / 1_000),
            // The condition needs millisecond precision, so the exact expiry is kept alongside.
            expiresAtMs: expiresAt,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw toDependencyError('nonce claim', error);
    }
  }
}
