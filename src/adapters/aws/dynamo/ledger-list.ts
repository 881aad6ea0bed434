/**
 * `Ledger.list` for the DynamoDB ledger (ledger.ts): oldest first, filters (actorId, from/to on `createdAt`) applied
 * server-side to single-entry items and per entry to blocks, an opaque cursor (base64url JSON `{seq}`, validated →
 * INVALID_REQUEST on `cursor`), and at most `maxPages` Query pages per call (then a short page with a cursor, so a
 * sparse filter never turns one request into a scan of the whole chain).
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { invalidRequest } from '../../../core/errors.js';
import type { AuditEntry } from '../../../core/model.js';
import type { AuditQuery, Page } from '../../../ports.js';
import { call, decodeCursor, encodeCursor, validateLimit } from './dynamo-support.js';
import { BLOCK_ATTRIBUTE, entriesOfItem, MAX_BLOCK_ENTRIES } from './ledger-item.js';

const isSeqCursor = (value: unknown): value is { seq: number } =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as { seq?: unknown }).seq) &&
  ((value as { seq: number }).seq as number) >= 0;

export async function listLedger(
  doc: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  query: AuditQuery,
  maxPages: number,
): Promise<Page<AuditEntry>> {
  validateLimit(query.limit);
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value !== undefined && !Number.isFinite(value)) throw invalidRequest(`invalid ${field}`, field);
  }
  const after = query.cursor === undefined ? 0 : decodeCursor(query.cursor, isSeqCursor).seq;
  const matches = entryFilter(query, after);
  const { filter, names, values } = listFilter(query);
  const matched: AuditEntry[] = [];
  let scannedUpTo = after;
  let startKey: Record<string, unknown> | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const out = await call('ledger list', () =>
      doc.send(
        new QueryCommand({
          TableName: table,
          // A block starting up to MAX_BLOCK_ENTRIES - 1 before the cursor may hold entries after it.
          KeyConditionExpression: 'pk = :pk AND sk > :lower',
          ExpressionAttributeValues: { ':pk': tenantId, ':lower': Math.max(0, after - MAX_BLOCK_ENTRIES), ...values },
          // Blocks always pass the item filter: their entries are filtered one by one below.
          ...(filter
            ? {
                FilterExpression: `attribute_exists(#block) OR (${filter})`,
                ExpressionAttributeNames: { ...names, '#block': BLOCK_ATTRIBUTE },
              }
            : {}),
          Limit: filter ? 200 : query.limit + 1 + MAX_BLOCK_ENTRIES,
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    for (const item of out.Items ?? []) {
      for (const entry of entriesOfItem(item)) {
        scannedUpTo = Math.max(scannedUpTo, entry.seq);
        if (matches(entry)) matched.push(entry);
      }
    }
    if (matched.length > query.limit) {
      const items = matched.slice(0, query.limit);
      return { items, nextCursor: encodeCursor({ seq: items.at(-1)!.seq }) };
    }
    if (!out.LastEvaluatedKey) return { items: matched };
    startKey = out.LastEvaluatedKey;
    scannedUpTo = Math.max(scannedUpTo, Number(out.LastEvaluatedKey.sk));
  }
  // Scanned the page budget without filling the page: hand back what matched and where to continue.
  return { items: matched, nextCursor: encodeCursor({ seq: scannedUpTo }) };
}

/** The list query as a predicate on entries (blocks are filtered here; single items also by DynamoDB). */
function entryFilter(query: AuditQuery, after: number): (entry: AuditEntry) => boolean {
  return (entry) =>
    entry.seq > after &&
    (query.actorId === undefined || entry.actorId === query.actorId) &&
    (query.from === undefined || entry.createdAt >= query.from) &&
    (query.to === undefined || entry.createdAt <= query.to);
}

function listFilter(query: AuditQuery): {
  filter: string | undefined;
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.actorId !== undefined) {
    clauses.push('#actor = :actor');
    names['#actor'] = 'actorId';
    values[':actor'] = query.actorId;
  }
  if (query.from !== undefined || query.to !== undefined) names['#created'] = 'createdAt';
  if (query.from !== undefined) {
    clauses.push('#created >= :from');
    values[':from'] = query.from;
  }
  if (query.to !== undefined) {
    clauses.push('#created <= :to');
    values[':to'] = query.to;
  }
  return { filter: clauses.length > 0 ? clauses.join(' AND ') : undefined, names, values };
}
