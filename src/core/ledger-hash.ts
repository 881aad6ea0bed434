/**
 * The audit ledger's hash chain (contract §7): each entry's hash is SHA-256 over the previous entry's hash and the
 * JCS form of the entry's own fields (everything but `hash`). Altering or removing any stored entry breaks every link
 * after it, which `verifyChain` reports as the first invalid sequence number.
 */
import { createHash } from 'node:crypto';
import { canonicalString } from './canonical-json.js';
import type { AuditEntry } from './model.js';

export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  // Drop undefined fields so an entry hashes the same before and after a JSON round trip through a store.
  const fields = JSON.parse(JSON.stringify(entry)) as Record<string, unknown>;
  delete fields.hash;
  return createHash('sha256').update(entry.prevHash).update('\n').update(canonicalString(fields)).digest('hex');
}

export type ChainCheck =
  | { valid: true; entries: number; head: { seq: number; hash: string } | null }
  | { valid: false; entries: number; firstInvalidSeq: number; reason: string };

/** Checks entries in ascending seq order, starting at seq 1. */
export function verifyChain(entries: Iterable<AuditEntry>): ChainCheck {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  let head: { seq: number; hash: string } | null = null;
  for (const entry of entries) {
    count += 1;
    if (entry.seq !== expectedSeq) {
      return { valid: false, entries: count, firstInvalidSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
    }
    if (entry.prevHash !== prevHash) {
      return { valid: false, entries: count, firstInvalidSeq: entry.seq, reason: 'prevHash does not link' };
    }
    if (entryHash(entry) !== entry.hash) {
      return { valid: false, entries: count, firstInvalidSeq: entry.seq, reason: 'hash does not match contents' };
    }
    prevHash = entry.hash;
    head = { seq: entry.seq, hash: entry.hash };
    expectedSeq += 1;
  }
  return { valid: true, entries: count, head };
}
