/**
 * BatchGetItem over any number of keys: chunks of 100 (the API's cap), strongly consistent reads (a revocation must
 * be seen at once), and UnprocessedKeys retried with backoff. Keys still unprocessed after the last attempt make the
 * whole read fail with a DependencyError: a partial answer could hide a revoked ancestor.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DependencyError } from '../../../core/errors.js';
import { call, jitter } from './dynamo-support.js';

const CHUNK = 100;
const MAX_ATTEMPTS = 6;

/** Read only these attributes (DynamoDB ProjectionExpression with its name aliases). */
export interface Projection {
  expression: string;
  names: Record<string, string>;
}

export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
  projection?: Projection,
): Promise<Record<string, unknown>[]> {
  const projected =
    projection === undefined
      ? {}
      : { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names };
  const found: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += CHUNK) {
    let pending = keys.slice(start, start + CHUNK);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= MAX_ATTEMPTS) throw new DependencyError('batch read left keys unprocessed');
      if (attempt > 0) await jitter(attempt, 20, 500);
      const out = await call('batch get', () =>
        doc.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true, ...projected } } }),
        ),
      );
      found.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return found;
}
