/**
 * RFC 9162 §2.1.3–2.1.4 inclusion and consistency proofs. Generation is split from storage: `inclusionRanges` and
 * `consistencyRanges` name the subtrees [start, end) whose hashes make up a proof, in proof order; a store resolves
 * each to a hash in O(1) reads (`decomposeRange`: a range is a perfect subtree, or one ending at the tree's size that
 * splits into at most log2(n) perfect ones). Verification follows the RFC's iterative algorithms, written against the
 * RFC text (tests compare both against its recursive definitions).
 */
import { HASH_BYTES, type Hash, nodeHash, sameHash } from './merkle.js';

export type Range = [start: number, end: number];

/** Largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function checkSize(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
}

/** The subtrees of PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), in proof order. */
export function inclusionRanges(index: number, size: number): Range[] {
  checkSize(index, 'index');
  checkSize(size, 'size');
  if (index >= size) throw new RangeError('index must be below the tree size');
  const out: Range[] = [];
  const path = (start: number, end: number): void => {
    if (end - start === 1) return;
    const k = splitPoint(end - start);
    if (index < start + k) {
      path(start, start + k);
      out.push([start + k, end]);
    } else {
      path(start + k, end);
      out.push([start, start + k]);
    }
  };
  path(0, size);
  return out;
}

/** The subtrees of PROOF(from, D[0:to]) (RFC 9162 §2.1.4.1), in proof order; empty when from is 0 or equals to. */
export function consistencyRanges(from: number, to: number): Range[] {
  checkSize(from, 'from');
  checkSize(to, 'to');
  if (from > to) throw new RangeError('from must not exceed to');
  if (from === 0 || from === to) return [];
  const out: Range[] = [];
  const subproof = (m: number, start: number, end: number, complete: boolean): void => {
    if (m === end - start) {
      if (!complete) out.push([start, end]);
      return;
    }
    const k = splitPoint(end - start);
    if (m <= k) {
      subproof(m, start, start + k, complete);
      out.push([start + k, end]);
    } else {
      subproof(m - k, start + k, end, false);
      out.push([start, start + k]);
    }
  };
  subproof(from, 0, to, true);
  return out;
}

/**
 * The perfect subtrees that make up [start, end), left to right, when `start` is a multiple of a power of two at least
 * end − start (true of every range above). The range's hash is their hashes folded from the right.
 */
export function decomposeRange([start, end]: Range): Range[] {
  const parts: Range[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    while (at % (size * 2) === 0 && at + size * 2 <= end) size *= 2;
    parts.push([at, at + size]);
    at += size;
  }
  return parts;
}

export function foldRight(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) throw new RangeError('no hashes to fold');
  let hash = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i -= 1) hash = nodeHash(hashes[i]!, hash);
  return hash;
}

const isOdd = (value: number) => value % 2 === 1;
const half = (value: number) => Math.floor(value / 2);

/** RFC 9162 §2.1.3.2: does `proof` show leaf `index` with hash `leaf` is in the tree of `size` with `root`? */
export function verifyInclusion(leaf: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (![leaf, root, ...proof].every((hash) => hash.length === HASH_BYTES)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of size `from` (root `fromRoot`) is a prefix of size `to`? */
export function verifyConsistency(
  from: number,
  to: number,
  proof: readonly Hash[],
  fromRoot: Hash,
  toRoot: Hash,
): boolean {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) return false;
  // A proof from the empty tree proves nothing; RFC 9162 defines PROOF(m, D[n]) for 0 < m ≤ n only.
  if (from === 0) return false;
  if (from === to) return proof.length === 0 && sameHash(fromRoot, toRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(fr, fromRoot) && sameHash(sr, toRoot);
}

function isPowerOfTwo(value: number): boolean {
  let v = value;
  while (v > 1 && v % 2 === 0) v /= 2;
  return v === 1;
}
