/**
 * Helpers every DynamoDB store shares: composite key building, SDK error mapping and opaque cursors.
 * Error messages name the operation only, never item contents (they may hold keys, payloads or PII).
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DependencyError, invalidRequest, KakuninError } from '../../../core/errors.js';

/**
 * Joins key parts with '#'. Parts are escaped ('%' → '%25', '#' → '%23') so a caller-chosen id containing '#'
 * can never make two different keys collide.
 */
export function key(...parts: string[]): string {
  return parts.map((part) => part.replaceAll('%', '%25').replaceAll('#', '%23')).join('#');
}

export function isConditionalFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Maps anything that is not already a domain error to a DependencyError (503, no effect) with the cause kept. */
export function toDependencyError(operation: string, error: unknown): KakuninError {
  if (error instanceof KakuninError) return error;
  return new DependencyError(`${operation} failed`, error);
}

/** Runs one SDK call and maps its failure; use `isConditionalFailure` before this where a condition may fail. */
export async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toDependencyError(operation, error);
  }
}

/**
 * Creates an item that must not exist yet (PutItem conditional on `attribute_not_exists(pk)`): a lost race or a
 * duplicate id is CONFLICT with `conflictMessage`, any other failure a DependencyError naming `operation`.
 */
export async function putNew(
  doc: DynamoDBDocumentClient,
  table: string,
  item: Record<string, unknown>,
  operation: string,
  conflictMessage: string,
): Promise<void> {
  try {
    await doc.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (error) {
    if (isConditionalFailure(error)) throw new KakuninError('CONFLICT', conflictMessage);
    throw toDependencyError(operation, error);
  }
}

/** Opaque cursor: base64url of a JSON object. */
export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes a cursor and checks its shape; anything malformed is INVALID_REQUEST on field 'cursor'. */
export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  const malformed = () => invalidRequest('malformed cursor', 'cursor');
  if (cursor.length === 0 || cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!isValid(parsed)) throw malformed();
  return parsed;
}

export function validateLimit(limit: number, max = 1000): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw invalidRequest(`limit must be an integer between 1 and ${max}`, 'limit');
  }
}

/** Removes the storage-only attributes (keys, index keys, TTL, item type) before an item becomes a record. */
export function stripStorageAttributes(item: Record<string, unknown>, extra: string[] = []): Record<string, unknown> {
  const copy = { ...item };
  for (const name of ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'expiresAt', 'itemType', ...extra]) {
    delete copy[name];
  }
  return copy;
}

/** Small randomised backoff for optimistic-concurrency retries, so contenders do not collide again in lockstep. */
export function jitter(attempt: number, baseMs = 5, capMs = 200): Promise<void> {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
