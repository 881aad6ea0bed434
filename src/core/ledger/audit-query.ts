/**
 * The `GET /v1/audit` listing rules shared by every Ledger adapter: filters (actorId, type, from/to on `createdAt`)
 * and the cursor. A cursor is opaque and tamper-proof without a server secret: it names the last entry a page
 * covered by seq AND hash, and the filters it was issued for. An adapter accepts it only when that entry exists in the
 * caller's tenant with that hash and the filters are the same; anything else, including another tenant's cursor, is
 * 400 INVALID_REQUEST on `cursor`, never another tenant's data.
 */
import { createHash } from 'node:crypto';
import type { AuditQuery } from '../../ports.js';
import { invalidRequest } from '../errors.js';
import type { AuditEntry } from '../model.js';

export interface AuditCursor {
  /** Seq of the last entry the previous page covered. */
  s: number;
  /** First 32 hex digits of that entry's hash. */
  h: string;
  /** Digest of the filters the cursor belongs to. */
  q: string;
}

export const MAX_AUDIT_LIMIT = 1000;

export function checkAuditQuery(query: AuditQuery): void {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_AUDIT_LIMIT) {
    throw invalidRequest(`limit must be an integer between 1 and ${MAX_AUDIT_LIMIT}`, 'limit');
  }
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value !== undefined && !Number.isFinite(value)) throw invalidRequest(`invalid ${field}`, field);
  }
}

function filterDigest(query: AuditQuery): string {
  const filters = [query.actorId ?? null, query.type ?? null, query.from ?? null, query.to ?? null];
  return createHash('sha256').update(JSON.stringify(filters)).digest('hex').slice(0, 16);
}

export function encodeAuditCursor(entry: Pick<AuditEntry, 'seq' | 'hash'>, query: AuditQuery): string {
  const cursor: AuditCursor = { s: entry.seq, h: String(entry.hash).slice(0, 32), q: filterDigest(query) };
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export const badCursor = () => invalidRequest('the cursor does not belong to this listing', 'cursor');

/** Decodes and checks a cursor's shape and filters; the adapter still checks its entry exists with that hash. */
export function decodeAuditCursor(text: string, query: AuditQuery): AuditCursor {
  if (text.length === 0 || text.length > 256 || !/^[A-Za-z0-9_-]+$/.test(text)) throw badCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const v = value as Partial<AuditCursor> | null;
  const wellFormed =
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length === 3 &&
    Number.isSafeInteger(v.s) &&
    (v.s as number) >= 0 &&
    typeof v.h === 'string' &&
    /^[0-9a-f]{32}$/.test(v.h) &&
    v.q === filterDigest(query);
  if (!wellFormed) throw badCursor();
  return v as AuditCursor;
}

export function cursorNames(cursor: AuditCursor, entry: Pick<AuditEntry, 'seq' | 'hash'>): boolean {
  return entry.seq === cursor.s && String(entry.hash).slice(0, 32) === cursor.h;
}

/** The list query as a predicate on entries. */
export function matchesAuditQuery(query: AuditQuery): (entry: AuditEntry) => boolean {
  return (entry) => {
    if (query.actorId !== undefined && entry.actorId !== query.actorId) return false;
    if (query.type !== undefined && entry.type !== query.type) return false;
    if (query.from === undefined && query.to === undefined) return true;
    const at = Date.parse(String(entry.createdAt));
    return (query.from === undefined || at >= query.from) && (query.to === undefined || at <= query.to);
  };
}
