/**
 * `GET /v1/audit/export?from=&to=`: the entries of a time range as JSON Lines, each line the entry's stored leaf text
 * (its JCS form, byte for byte what the Merkle leaf hashes), oldest first. The range's first seq is found by binary
 * search on `createdAt` (O(log n) single-entry reads; seqs are written in time order, up to the writers' clock skew,
 * for which the search starts `CLOCK_SKEW_MS` early and the lines are filtered exactly). One response carries at most
 * `MAX_EXPORT_BYTES`; a longer range stops after a whole line and names where to continue (`afterSeq`).
 */
import type { Ledger } from '../ports.js';

export const MAX_EXPORT_BYTES = 5 * 1024 * 1024;
const CLOCK_SKEW_MS = 60_000;

export interface ExportQuery {
  from?: number;
  to?: number;
  afterSeq?: number;
}

export interface ExportedRange {
  body: string;
  lines: number;
  /** Set when the cap was reached: continue with `afterSeq` = this. */
  truncatedAfterSeq?: number;
}

export async function exportAudit(ledger: Ledger, tenantId: string, query: ExportQuery): Promise<ExportedRange> {
  const { size } = await ledger.head(tenantId);
  let start = query.afterSeq === undefined ? 0 : query.afterSeq + 1;
  if (query.from !== undefined) {
    start = Math.max(start, await firstSeqAtOrAfter(ledger, tenantId, size, query.from - CLOCK_SKEW_MS));
  }
  const lines: string[] = [];
  let bytes = 0;
  for await (const stored of ledger.scan(tenantId, start, size)) {
    const createdAt = Date.parse(createdAtOf(stored.leaf));
    if (query.to !== undefined && createdAt > query.to + CLOCK_SKEW_MS) break;
    const outside =
      (query.from !== undefined && createdAt < query.from) || (query.to !== undefined && createdAt > query.to);
    if (outside) continue;
    const length = Buffer.byteLength(stored.leaf, 'utf8') + 1;
    if (bytes + length > MAX_EXPORT_BYTES && lines.length > 0) {
      return { body: `${lines.join('\n')}\n`, lines: lines.length, truncatedAfterSeq: stored.seq - 1 };
    }
    lines.push(stored.leaf);
    bytes += length;
  }
  return { body: lines.length === 0 ? '' : `${lines.join('\n')}\n`, lines: lines.length };
}

/** Smallest seq in [0, size) whose entry was created at or after `at` (size when none). */
async function firstSeqAtOrAfter(ledger: Ledger, tenantId: string, size: number, at: number): Promise<number> {
  let low = 0;
  let high = size;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    let createdAt = Number.NaN;
    for await (const stored of ledger.scan(tenantId, middle, middle + 1)) {
      createdAt = Date.parse(createdAtOf(stored.leaf));
    }
    // An unreadable entry (NaN) counts as "at or after": the export then starts earlier, never later.
    if (!(createdAt < at)) high = middle;
    else low = middle + 1;
  }
  return low;
}

function createdAtOf(leaf: string): string {
  try {
    return String((JSON.parse(leaf) as { createdAt?: unknown }).createdAt);
  } catch {
    return '';
  }
}
