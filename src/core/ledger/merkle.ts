/**
 * RFC 9162 §2.1 Merkle tree hashing for the audit ledger (docs/api.md §7, "Transparency-log form"): leaf hash
 * SHA-256(0x00 ‖ entry bytes), node hash SHA-256(0x01 ‖ left ‖ right), and the compact range ("frontier") that lets
 * an appender extend the tree knowing only O(log n) hashes. Pure: no store, no clock.
 *
 * Vocabulary: a *perfect subtree* is [start, start + 2^k) with start a multiple of 2^k; its hash is stored once, with
 * the entry that completes it (seq start + 2^k − 1, level k). The *frontier* of size n is the list of perfect subtrees
 * that partition [0, n), largest first (one per set bit of n); folding it from the right gives the root of size n.
 */
import { createHash, hash } from 'node:crypto';

export type Hash = Uint8Array;
export const HASH_BYTES = 32;

/** SHA-256 of the empty string: the root of the empty tree (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Hash = new Uint8Array(createHash('sha256').digest());

/** One-shot SHA-256 (one native call, not three), viewed as a plain Uint8Array without a copy. */
function sha256(data: string | Uint8Array): Hash {
  const digest = hash('sha256', data, 'buffer') as unknown as Buffer;
  return new Uint8Array(digest.buffer, digest.byteOffset, HASH_BYTES);
}

export function leafHash(entry: Uint8Array | string): Hash {
  // The string form is hashed as UTF-8, in which U+0000 is the single byte 0x00: the same bytes as the prefix below.
  if (typeof entry === 'string') return sha256(`\u0000${entry}`);
  const bytes = new Uint8Array(entry.length + 1);
  bytes.set(entry, 1);
  return sha256(bytes);
}

export function nodeHash(left: Hash, right: Hash): Hash {
  const bytes = new Uint8Array(1 + left.length + right.length);
  bytes[0] = 1;
  bytes.set(left, 1);
  bytes.set(right, 1 + left.length);
  return sha256(bytes);
}

/** Number of trailing zero bits of a positive safe integer. */
export function trailingZeros(value: number): number {
  let count = 0;
  let v = value;
  while (v > 0 && v % 2 === 0) {
    v /= 2;
    count += 1;
  }
  return count;
}

/** The perfect subtrees [start, end) partitioning [0, size), largest first. */
export function frontierRanges(size: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (let bit = 2 ** Math.floor(Math.log2(Math.max(size, 1))); bit >= 1; bit /= 2) {
    if (Math.floor(size / bit) % 2 === 1) {
      ranges.push([start, start + bit]);
      start += bit;
    }
  }
  return ranges;
}

/**
 * Appends leaf `index` (= the frontier's size) to `frontier` and returns the new frontier and the hashes of the
 * perfect subtrees the leaf completes, by level: `completed[0]` is the leaf's hash, `completed[k]` the hash of
 * [index + 1 − 2^k, index + 1). There are trailingZeros(index + 1) + 1 of them.
 */
export function appendLeaf(
  frontier: readonly Hash[],
  index: number,
  leaf: Hash,
): { frontier: Hash[]; completed: Hash[] } {
  const next = frontier.slice();
  const completed: Hash[] = [leaf];
  let hash = leaf;
  for (let merges = trailingZeros(index + 1); merges > 0; merges -= 1) {
    const left = next.pop();
    if (left === undefined) throw new RangeError('frontier does not match its size');
    hash = nodeHash(left, hash);
    completed.push(hash);
  }
  next.push(hash);
  return { frontier: next, completed };
}

/** The root of the tree whose frontier this is: the frontier folded from the right (RFC 9162 MTH). */
export function rootOfFrontier(frontier: readonly Hash[]): Hash {
  if (frontier.length === 0) return EMPTY_ROOT;
  let hash = frontier[frontier.length - 1]!;
  for (let i = frontier.length - 2; i >= 0; i -= 1) hash = nodeHash(frontier[i]!, hash);
  return hash;
}

/** Root of the tree over these leaf hashes (in memory; used by tests, verifiers and the checkpoint auditor). */
export function rootOfLeaves(leaves: Iterable<Hash>): Hash {
  let frontier: Hash[] = [];
  let size = 0;
  for (const leaf of leaves) {
    frontier = appendLeaf(frontier, size, leaf).frontier;
    size += 1;
  }
  return rootOfFrontier(frontier);
}

export function sameHash(a: Hash | undefined, b: Hash | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
