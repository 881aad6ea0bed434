/**
 * How the ledger stores entries and the Merkle tree (docs/data-model.md "ledger"). One item holds one or more
 * consecutive entries (group commit, ledger.ts):
 *   pk = tenant id, sk = seq of its first entry,
 *   e  = the entries' leaf texts (the JCS form of each item exactly as `GET /v1/audit` returns it) joined by "\n"
 *        (JCS text never contains a raw newline),
 *   n  = binary: for each entry in order, the hashes of the perfect subtrees it completes (trailingZeros(seq+1)+1 of
 *        them, level 0 = its leaf hash), so any perfect subtree's hash is one item read,
 *   f  = binary: the Merkle frontier before the first entry (one hash per set bit of its seq), so the frontier and
 *        root at any size inside the item are one item read.
 * The stored text IS the leaf: reading parses it, hashing it needs no re-serialisation, exporting streams it as is.
 */
import { HASH_BYTES, type Hash, trailingZeros } from '../../../core/ledger/merkle.js';
import type { AuditEntry } from '../../../core/model.js';

export const ENTRIES_ATTRIBUTE = 'e';
export const NODES_ATTRIBUTE = 'n';
export const FRONTIER_ATTRIBUTE = 'f';
/** Most entries one item holds; readers also use it to find an item that starts before a given seq. */
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

/** One entry as written: its seq, leaf text and the subtree hashes it completes. */
export interface StoredLeaf {
  seq: number;
  leaf: string;
  nodes: Hash[];
}

/** Bytes an item takes besides its entries' texts and nodes (names, key values, the frontier). */
export function itemOverheadBytes(tenantId: string, frontier: readonly Hash[]): number {
  return ledgerItemBytes({ pk: tenantId, sk: 0, e: '', n: '', f: '' }) + frontier.length * HASH_BYTES;
}

/** Bytes one more entry adds to an item: its text, the joining newline and its node hashes. */
export function leafBytes(leaf: StoredLeaf): number {
  return Buffer.byteLength(leaf.leaf, 'utf8') + 1 + leaf.nodes.length * HASH_BYTES;
}

export function toLedgerItem(tenantId: string, leaves: readonly StoredLeaf[], frontier: readonly Hash[]) {
  const first = leaves[0];
  if (first === undefined) throw new RangeError('empty ledger item');
  return {
    pk: tenantId,
    sk: first.seq,
    [ENTRIES_ATTRIBUTE]: leaves.map((l) => l.leaf).join('\n'),
    [NODES_ATTRIBUTE]: concat(leaves.flatMap((l) => l.nodes)),
    [FRONTIER_ATTRIBUTE]: concat(frontier),
  };
}

/** What one stored item holds, read back. Malformed parts are kept visible (they fail verification), never thrown. */
export interface ItemContents {
  firstSeq: number;
  leaves: StoredLeaf[];
  frontier: Hash[];
  /** False when the binary attributes do not have the lengths the seqs imply (tampered or foreign item). */
  wellFormed: boolean;
}

export function readLedgerItem(item: Record<string, unknown>): ItemContents {
  const firstSeq = Number(item.sk);
  const text = item[ENTRIES_ATTRIBUTE];
  const texts = typeof text === 'string' ? text.split('\n') : [''];
  const nodes = binary(item[NODES_ATTRIBUTE]);
  const frontierBytes = binary(item[FRONTIER_ATTRIBUTE]);
  let offset = 0;
  let wellFormed = typeof text === 'string' && Number.isSafeInteger(firstSeq) && firstSeq >= 0;
  const leaves = texts.map((leaf, i): StoredLeaf => {
    const seq = firstSeq + i;
    const count = trailingZeros(seq + 1) + 1;
    const hashes = split(nodes.subarray(offset, offset + count * HASH_BYTES));
    if (hashes.length !== count) wellFormed = false;
    offset += count * HASH_BYTES;
    return { seq, leaf, nodes: hashes };
  });
  if (offset !== nodes.length) wellFormed = false;
  const frontier = split(frontierBytes);
  if (frontier.length * HASH_BYTES !== frontierBytes.length || frontier.length !== popCount(firstSeq)) {
    wellFormed = false;
  }
  return { firstSeq, leaves, frontier, wellFormed };
}

/** The entry a leaf text holds; a text that no longer parses is surfaced as an entry that cannot verify. */
export function entryOfLeaf(leaf: StoredLeaf): AuditEntry {
  try {
    const parsed = JSON.parse(leaf.leaf) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as AuditEntry;
  } catch {
    // fall through
  }
  return { seq: leaf.seq, unparseableStoredEntry: leaf.leaf } as unknown as AuditEntry;
}

function binary(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(0);
}

function concat(hashes: readonly Hash[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_BYTES);
  hashes.forEach((hash, i) => {
    out.set(hash, i * HASH_BYTES);
  });
  return out;
}

function split(bytes: Uint8Array): Hash[] {
  const out: Hash[] = [];
  for (let i = 0; i + HASH_BYTES <= bytes.length; i += HASH_BYTES) out.push(bytes.slice(i, i + HASH_BYTES));
  return out;
}

function popCount(value: number): number {
  let count = 0;
  let v = value;
  while (v > 0) {
    count += v % 2;
    v = Math.floor(v / 2);
  }
  return count;
}
