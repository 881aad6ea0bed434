/**
 * How an audit entry is stored in the ledger table: pk = tenant id, sk = seq (N), every other field as a top-level
 * attribute, and `payload` (caller JSON of any shape) as JSON text so it round-trips byte-exactly through DynamoDB's
 * number and map rules. Reading reverses this exactly, so the hash recomputed by verify() covers every stored
 * attribute: a changed, added or removed attribute breaks the entry's hash.
 */
import type { AuditEntry, AuditEntryInput } from '../../../core/model.js';

const INPUT_FIELDS = [
  'id',
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
 * pk = tenant, sk = the FIRST entry's seq, `blockJson` = JSON array of the entries in seq order, each entry as its
 * plain JSON object (`payload` kept as a JSON value, so the block's text is JSON-encoded ONCE: a payload of
 * backslashes or quotes takes the same room as in the single-entry item's `payloadJson`, not double). Every item,
 * single or block, starts right after the previous item's last seq, so `attribute_not_exists(sk)` still lets exactly
 * one writer extend the chain from a given head.
 */
export const BLOCK_ATTRIBUTE = 'blockJson';
/** Most entries one block holds; readers also use it to find a block that starts before a cursor. */
export const MAX_BLOCK_ENTRIES = 25;
/**
 * Most bytes one stored ledger item may take, as `ledgerItemBytes` counts them. DynamoDB's cap is 400 KB (409,600
 * bytes) counted as the UTF-8 bytes of attribute names and values; dynalite counts UTF-16 code units, which are never
 * more than the UTF-8 bytes. The margin covers DynamoDB's per-attribute overhead. A block stops growing before this;
 * one entry alone can never reach it (a 64 KiB request body expands to at most ~290 KB of JCS text: docs/data-model.md).
 */
export const MAX_ITEM_BYTES = 380_000;

/**
 * The size of a ledger item as DynamoDB bills and limits it: UTF-8 bytes of every attribute name and string value,
 * 21 bytes per number (DynamoDB's upper bound), the byte length of binary values. Only the flat items this ledger
 * writes (strings, numbers, binaries at the top level) are sized; anything else throws rather than guess.
 */
export function ledgerItemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    bytes += Buffer.byteLength(name, 'utf8');
    if (typeof value === 'string') bytes += Buffer.byteLength(value, 'utf8');
    else if (typeof value === 'number') bytes += 21;
    else if (value instanceof Uint8Array) bytes += value.byteLength;
    else throw new TypeError(`ledger item attribute ${name} is not a string, number or binary`);
  }
  return bytes;
}

/** An entry's JSON text inside a block: its own fields with `seq` (the tenant is the item's pk), payload as JSON. */
export function blockEntryJson(entry: AuditEntry): string {
  const { tenantId: _tenant, ...rest } = entry;
  return JSON.stringify(rest);
}

/** Bytes a block item takes besides its entries' texts: names, key values, brackets (see `blockItem`). */
export function blockOverheadBytes(tenantId: string): number {
  return ledgerItemBytes({ pk: tenantId, sk: 0, [BLOCK_ATTRIBUTE]: '[]' });
}

/** The block item holding the entries whose `blockEntryJson` texts are `parts`, in seq order from `firstSeq`. */
export function blockItem(tenantId: string, firstSeq: number, parts: readonly string[]): Record<string, unknown> {
  if (parts.length === 0) throw new RangeError('empty ledger block');
  return { pk: tenantId, sk: firstSeq, [BLOCK_ATTRIBUTE]: `[${parts.join(',')}]` };
}

/** The item of `entries` (consecutive): the single-entry form for one, a block for more. */
export function toBlockItem(entries: readonly AuditEntry[]): Record<string, unknown> {
  const first = entries[0];
  if (first === undefined) throw new RangeError('empty ledger block');
  if (entries.length === 1) return toLedgerItem(first);
  return blockItem(first.tenantId, first.seq, entries.map(blockEntryJson));
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
    return { tenantId: item.pk, seq: Number(seq), ...rest } as unknown as AuditEntry;
  });
}
