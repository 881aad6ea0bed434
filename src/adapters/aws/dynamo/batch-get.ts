/**
 * BatchGetItem over any number of keys: chunks of 100 (the API's cap, counted over all tables of a request), strongly
 * consistent reads (a revocation must be seen at once), and UnprocessedKeys retried with backoff. Keys still
 * unprocessed after the last attempt make the whole read fail with a DependencyError: a partial answer could hide a
 * revoked ancestor. One request may read several tables (`batchGetTables`): the verifier reads the registry and the
 * agent's risk on the monitoring table in the same round trip.
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

/** The keys to read from one table. */
export interface TableRead {
  table: string;
  keys: Record<string, unknown>[];
  projection?: Projection;
}

type Key = Record<string, unknown>;
type RequestItems = Record<
  string,
  {
    Keys: Key[];
    ConsistentRead: true;
    ProjectionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
  }
>;

export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: Key[],
  projection?: Projection,
): Promise<Record<string, unknown>[]> {
  const found = await batchGetTables(doc, [projection === undefined ? { table, keys } : { table, keys, projection }]);
  return found.get(table) ?? [];
}

/** Items found, by table name (every table read is present, possibly with no items). */
export async function batchGetTables(
  doc: DynamoDBDocumentClient,
  reads: readonly TableRead[],
): Promise<Map<string, Record<string, unknown>[]>> {
  const found = new Map<string, Record<string, unknown>[]>(reads.map((read) => [read.table, []]));
  const all = reads.flatMap((read) => read.keys.map((key) => ({ read, key })));
  for (let start = 0; start < all.length; start += CHUNK) {
    let pending: RequestItems | undefined = requestItems(all.slice(start, start + CHUNK));
    for (let attempt = 0; pending !== undefined; attempt += 1) {
      if (attempt >= MAX_ATTEMPTS) throw new DependencyError('batch read left keys unprocessed');
      if (attempt > 0) await jitter(attempt, 20, 500);
      const request: RequestItems = pending;
      const out = await call('batch get', () => doc.send(new BatchGetCommand({ RequestItems: request })));
      for (const [table, items] of Object.entries(out.Responses ?? {})) {
        const bucket = found.get(table);
        if (bucket === undefined) throw new DependencyError('batch read answered for a table it did not ask');
        bucket.push(...items);
      }
      pending = unprocessed(request, out.UnprocessedKeys);
    }
  }
  return found;
}

function requestItems(chunk: { read: TableRead; key: Key }[]): RequestItems {
  const items: RequestItems = {};
  for (const { read, key } of chunk) {
    let entry = items[read.table];
    if (entry === undefined) {
      entry = { Keys: [], ConsistentRead: true };
      if (read.projection !== undefined) {
        entry.ProjectionExpression = read.projection.expression;
        entry.ExpressionAttributeNames = read.projection.names;
      }
      items[read.table] = entry;
    }
    entry.Keys.push(key);
  }
  return items;
}

/** The same request narrowed to the keys DynamoDB left unprocessed; undefined when none are left. */
function unprocessed(
  request: RequestItems,
  left: Record<string, { Keys?: Key[] }> | undefined,
): RequestItems | undefined {
  let next: RequestItems | undefined;
  for (const [table, entry] of Object.entries(request)) {
    const keys = left?.[table]?.Keys ?? [];
    if (keys.length === 0) continue;
    next ??= {};
    next[table] = { ...entry, Keys: keys };
  }
  return next;
}
