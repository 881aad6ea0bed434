/**
 * How an audit entry is stored in the ledger table: pk = tenant id, sk = seq (N), every other field as a top-level
 * attribute, and `payload` (caller JSON of any shape) as JSON text so it round-trips byte-exactly through DynamoDB's
 * number and map rules. Reading reverses this exactly, so the hash recomputed by verify() covers every stored
 * attribute: a changed, added or removed attribute breaks the entry's hash.
 */
import type { AuditEntry, AuditEntryInput } from '../../../core/model.js';

const INPUT_FIELDS = [
  'tenantId',
  'actorId',
  'type',
  'errorCode',
  'payload',
  'signature',
  'certificateFingerprint',
  'nonce',
  'timestamp',
  'riskScore',
  'origin',
] as const satisfies readonly (keyof AuditEntryInput)[];

/** Only the known input fields, JSON-cloned (drops undefined, so the hash is stable across a store round trip). */
export function pickInput(input: AuditEntryInput): AuditEntryInput {
  const picked: Record<string, unknown> = {};
  for (const field of INPUT_FIELDS) {
    if (input[field] !== undefined) picked[field] = input[field];
  }
  return JSON.parse(JSON.stringify(picked)) as AuditEntryInput;
}

export function toLedgerItem(entry: AuditEntry): Record<string, unknown> {
  const { seq, payload, ...rest } = entry;
  return {
    pk: entry.tenantId,
    sk: seq,
    ...rest,
    ...(payload === undefined ? {} : { payloadJson: JSON.stringify(payload) }),
  };
}

export function fromLedgerItem(item: Record<string, unknown>): AuditEntry {
  const { pk: _pk, sk, payloadJson, ...rest } = item;
  const entry: Record<string, unknown> = { ...rest, seq: Number(sk) };
  if (payloadJson !== undefined) entry.payload = parsePayload(payloadJson);
  return entry as unknown as AuditEntry;
}

/** A payload that no longer parses was tampered with: keep it visible (and hash-breaking) rather than throw. */
function parsePayload(text: unknown): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    return { unparseableStoredPayload: String(text) };
  }
}

/**
 * Group commit (see ledger.ts): several consecutive entries written by ONE conditional PutItem as one block item,
 * pk = tenant, sk = the FIRST entry's seq, `blockJson` = JSON array of the entries in seq order, each in the
 * single-entry item form (`seq` kept inside). Every item, single or block, starts right after the previous item's
 * last seq, so `attribute_not_exists(sk)` still lets exactly one writer extend the chain from a given head.
 */
export const BLOCK_ATTRIBUTE = 'blockJson';
/** Most entries one block holds; readers also use it to find a block that starts before a cursor. */
export const MAX_BLOCK_ENTRIES = 25;
/** Most JSON characters of entries one block holds (DynamoDB's item cap is 400 KB). */
export const MAX_BLOCK_CHARS = 300_000;

export function toBlockItem(entries: readonly AuditEntry[]): Record<string, unknown> {
  const first = entries[0];
  if (first === undefined) throw new RangeError('empty ledger block');
  const stored = entries.map((entry) => {
    const { pk: _pk, sk, ...rest } = toLedgerItem(entry);
    return { seq: sk, ...rest };
  });
  return { pk: first.tenantId, sk: first.seq, [BLOCK_ATTRIBUTE]: JSON.stringify(stored) };
}

/** The entries an item holds: one for a single-entry item, all of them for a block, in seq order. */
export function entriesOfItem(item: Record<string, unknown>): AuditEntry[] {
  const block = item[BLOCK_ATTRIBUTE];
  if (block === undefined) return [fromLedgerItem(item)];
  let stored: unknown;
  try {
    stored = JSON.parse(String(block));
  } catch {
    stored = undefined;
  }
  if (!Array.isArray(stored) || stored.length === 0) {
    // Tampered beyond parsing: surface an entry that cannot verify at the block's first seq.
    return [{ seq: Number(item.sk), unparseableStoredBlock: String(block) } as unknown as AuditEntry];
  }
  return stored.map((entry: unknown) => {
    if (entry === null || typeof entry !== 'object') return { unparseableStoredEntry: entry } as unknown as AuditEntry;
    const { seq, ...rest } = entry as Record<string, unknown>;
    return fromLedgerItem({ pk: item.pk, sk: seq, ...rest });
  });
}
