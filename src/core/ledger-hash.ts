/**
 * The audit ledger's hash chain (docs/api.md §7): each entry's hash is SHA-256 over the previous entry's hash, a
 * newline and the JCS form of the entry's own fields (everything but `hash`). Altering or removing any stored entry
 * breaks every link after it, which `verifyChain` reports as the first invalid sequence number. Seqs start at 0, so
 * the entry with seq i is leaf i of the tenant's Merkle tree (core/ledger/merkle.ts); its leaf bytes are the JCS form
 * of the whole entry, `hash` included (`sealLeaf`).
 */
import { hash } from 'node:crypto';
import { canonicalObjectString, canonicalString } from './canonical-json.js';
import type { AuditEntry } from './model.js';

export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  // Drop undefined fields so an entry hashes the same before and after a JSON round trip through a store.
  const fields = JSON.parse(JSON.stringify(entry)) as Record<string, unknown>;
  delete fields.hash;
  return chainHash(entry.prevHash, canonicalString(fields));
}

/** SHA-256 (hex) over `prevHash`, a newline and the entry's JCS text: one-shot, the same bytes as three updates. */
function chainHash(prevHash: string, canonicalText: string): string {
  // As Hash#update did: a missing or non-string prevHash is a broken entry, never hashed as the text "undefined".
  if (typeof prevHash !== 'string') throw new TypeError('prevHash must be a string');
  return hash('sha256', `${prevHash}\n${canonicalText}`, 'hex');
}

/**
 * Hashes a new entry and returns the entry to store, doing the serialisation work once: the JCS text that is hashed
 * is also parsed back into the stored copy. The result is exactly what `entryHash` and `verifyChain` expect, because
 * JCS is idempotent on its own output (`canonicalString(JSON.parse(text)) === text`): the stored copy holds plain JSON
 * values only, undefined fields are dropped (as the JSON round trip of `entryHash` drops them), and it shares no
 * object with the caller. A value JSON cannot carry (NaN, ±Infinity, a function, a lone surrogate) throws instead of
 * being stored in a silently altered form: the append fails closed.
 */
export function sealEntry(unhashed: Omit<AuditEntry, 'hash'>): AuditEntry {
  return sealWithText(unhashed).entry;
}

function sealWithText(unhashed: Omit<AuditEntry, 'hash'>): { entry: AuditEntry; text: string } {
  // A stray `hash` on the input is not part of the hashed fields (entryHash deletes it too).
  let fields: object = unhashed;
  if (Object.hasOwn(unhashed, 'hash')) {
    const { hash: _ignored, ...rest } = unhashed as AuditEntry;
    fields = rest;
  }
  // Member by member: a payload frozen by the envelope parser costs a lookup instead of a second canonicalisation.
  const text = canonicalObjectString(fields as Record<string, unknown>);
  const entry = JSON.parse(text) as AuditEntry;
  // Assigned, not spread: adding to a parsed object is cheap, a spread copy is not (see docs/verification.md).
  entry.hash = chainHash(entry.prevHash, text);
  return { entry, text };
}

/**
 * `sealEntry` plus the entry's leaf text: the JCS form of the sealed entry, `hash` included, exactly what
 * `GET /v1/audit` returns and what the Merkle leaf hashes. Built from the text already hashed by inserting the
 * `"hash"` member at its sorted place instead of canonicalising a second time: every member sorting before `hash`
 * (actorId, certificateFingerprint, createdAt, errorCode) is a string, so the first `,"id":` of the text is the
 * top-level `id` member (quotes inside strings are escaped). Anything else falls back to a full JCS pass.
 */
export function sealLeaf(unhashed: Omit<AuditEntry, 'hash'>): { entry: AuditEntry; leaf: string } {
  const { entry, text } = sealWithText(unhashed);
  const stringsBeforeHash =
    typeof entry.actorId === 'string' &&
    typeof entry.createdAt === 'string' &&
    (entry.certificateFingerprint === undefined || typeof entry.certificateFingerprint === 'string') &&
    (entry.errorCode === undefined || typeof entry.errorCode === 'string');
  const at = stringsBeforeHash ? text.indexOf(',"id":') : -1;
  const leaf = at > 0 ? `${text.slice(0, at)},"hash":"${entry.hash}"${text.slice(at)}` : leafText(entry);
  return { entry, leaf };
}

/** The leaf text of a stored entry: its JCS form, `hash` included. */
export function leafText(entry: AuditEntry): string {
  return canonicalString(entry);
}

export type ChainCheck =
  | { valid: true; entries: number; head: { seq: number; hash: string } | null }
  | { valid: false; entries: number; firstInvalidSeq: number; reason: string };

/** Checks entries in ascending seq order, starting at seq 0 (or `start`, linked from `prevHash`). */
export function verifyChain(
  entries: Iterable<AuditEntry>,
  start: { seq: number; prevHash: string } = { seq: 0, prevHash: GENESIS_HASH },
): ChainCheck {
  let prevHash = start.prevHash;
  let expectedSeq = start.seq;
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
