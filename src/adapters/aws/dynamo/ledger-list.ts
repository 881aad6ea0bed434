/**
 * `Ledger.list` for the DynamoDB ledger (ledger.ts): oldest first, filters (actorId, type, from/to on `createdAt`)
 * applied per entry (entries are stored as their leaf text), at most `maxPages` Query pages per call (then a short
 * page with a cursor, so a sparse filter never turns one request into a scan of the whole log).
 *
 * The cursor (core/ledger/audit-query.ts) is checked against the entry it names, read by the same Query that
 * continues the listing: no extra read.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  badCursor,
  checkAuditQuery,
  cursorNames,
  decodeAuditCursor,
  encodeAuditCursor,
  matchesAuditQuery,
} from '../../../core/ledger/audit-query.js';
import type { AuditEntry } from '../../../core/model.js';
import type { AuditQuery, Page } from '../../../ports.js';
import { call } from './dynamo-support.js';
import { entryOfLeaf, MAX_BLOCK_ENTRIES, readLedgerItem } from './ledger-item.js';

export async function listLedger(
  doc: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  query: AuditQuery,
  maxPages: number,
): Promise<Page<AuditEntry>> {
  checkAuditQuery(query);
  const cursor = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor, query);
  const after = cursor?.s ?? -1;
  const matches = matchesAuditQuery(query);
  const matched: AuditEntry[] = [];
  let cursorSeen = cursor === undefined;
  let last: AuditEntry | undefined;
  let startKey: Record<string, unknown> | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const out = await call('ledger list', () =>
      doc.send(
        new QueryCommand({
          TableName: table,
          // The item holding the cursor's entry starts at most MAX_BLOCK_ENTRIES - 1 before it.
          KeyConditionExpression: 'pk = :pk AND sk >= :lower',
          ExpressionAttributeValues: { ':pk': tenantId, ':lower': Math.max(0, after - MAX_BLOCK_ENTRIES + 1) },
          Limit: query.limit + MAX_BLOCK_ENTRIES,
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    for (const item of out.Items ?? []) {
      for (const stored of readLedgerItem(item).leaves) {
        if (stored.seq < after) continue;
        const entry = entryOfLeaf(stored);
        if (stored.seq === after) {
          if (cursor === undefined || !cursorNames(cursor, entry)) throw badCursor();
          cursorSeen = true;
          continue;
        }
        if (!cursorSeen) throw badCursor();
        last = entry;
        if (!matches(entry)) continue;
        matched.push(entry);
        if (matched.length === query.limit) {
          return { items: matched, nextCursor: encodeAuditCursor(entry, query) };
        }
      }
    }
    if (!cursorSeen) throw badCursor();
    if (!out.LastEvaluatedKey) return { items: matched };
    startKey = out.LastEvaluatedKey;
  }
  // Read the page budget without filling the page: hand back what matched and where to continue.
  return last === undefined ? { items: matched } : { items: matched, nextCursor: encodeAuditCursor(last, query) };
}
