/**
 * Property tests of inclusion and consistency proofs against RFC 9162 §2.1's recursive definitions, written here
 * from the RFC text (MTH, PATH, SUBPROOF), not taken from the production code: for random trees, every proof the
 * production code builds equals the RFC's, verifies, and fails for any altered leaf, index, root or proof (a wrong
 * size alone is not always caught by the RFC's algorithm: the size is bound through the signed root, which names it).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendLeaf, type Hash, leafHash, rootOfFrontier } from '../../../../src/core/ledger/merkle.js';
import {
  consistencyRanges,
  decomposeRange,
  foldRight,
  inclusionRanges,
  type Range,
  verifyConsistency,
  verifyInclusion,
} from '../../../../src/core/ledger/proofs.js';

// ---- RFC 9162 §2.1.1–2.1.4, recursively, over the leaf inputs D ----
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1); // largest power of two < n, for n > 1
function MTH(D: Uint8Array[]): Hash {
  if (D.length === 0) return sha();
  if (D.length === 1) return sha(Uint8Array.of(0), D[0]!);
  const split = k(D.length);
  return sha(Uint8Array.of(1), MTH(D.slice(0, split)), MTH(D.slice(split)));
}
function PATH(m: number, D: Uint8Array[]): Hash[] {
  if (D.length === 1) return [];
  const split = k(D.length);
  return m < split
    ? [...PATH(m, D.slice(0, split)), MTH(D.slice(split))]
    : [...PATH(m - split, D.slice(split)), MTH(D.slice(0, split))];
}
function SUBPROOF(m: number, D: Uint8Array[], b: boolean): Hash[] {
  const n = D.length;
  if (m === n) return b ? [] : [MTH(D)];
  const split = k(n);
  return m <= split
    ? [...SUBPROOF(m, D.slice(0, split), b), MTH(D.slice(split))]
    : [...SUBPROOF(m - split, D.slice(split), false), MTH(D.slice(0, split))];
}
const PROOF = (m: number, D: Uint8Array[]) => SUBPROOF(m, D, true);

/** The production side: a store of perfect-subtree hashes filled by appendLeaf, proofs from ranges. */
function productionTree(D: Uint8Array[]) {
  const stored = new Map<string, Hash>();
  const frontiers: Hash[][] = [[]];
  D.forEach((input, index) => {
    const { frontier, completed } = appendLeaf(frontiers[index]!, index, leafHash(input));
    for (const [level, hash] of completed.entries()) stored.set(`${index + 1 - 2 ** level},${index + 1}`, hash);
    frontiers.push(frontier);
  });
  const rangeHash = (range: Range) => foldRight(decomposeRange(range).map(([s, e]) => stored.get(`${s},${e}`)!));
  return {
    root: (size: number) => rootOfFrontier(frontiers[size]!),
    inclusion: (index: number, size: number) => inclusionRanges(index, size).map(rangeHash),
    consistency: (from: number, to: number) => consistencyRanges(from, to).map(rangeHash),
  };
}

const b64 = (hashes: Hash[]) => hashes.map((h) => Buffer.from(h).toString('base64'));
// Distinct leaves (the last byte is the index): with equal leaves, a proof for one is a proof for the other.
const leavesArb = fc
  .array(fc.uint8Array({ maxLength: 8 }), { minLength: 1, maxLength: 70 })
  .map((leaves) => leaves.map((bytes, i) => Uint8Array.of(...bytes, i)));
const flip = (hash: Hash, bit: number) => {
  const copy = hash.slice();
  copy[bit % 32]! ^= 1 << (bit % 8);
  return copy;
};

describe('inclusion proofs against the RFC 9162 recursive definition', () => {
  it('equal PATH(m, D[n]), verify against MTH, and fail for any altered leaf, index, root or proof', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), fc.nat(255), (all, sizeSeed, indexSeed, bit) => {
        const size = 1 + (sizeSeed % all.length);
        const index = indexSeed % size;
        const D = all.slice(0, size);
        const tree = productionTree(all);
        const proof = tree.inclusion(index, size);
        const root = MTH(D);
        expect(b64(proof)).toEqual(b64(PATH(index, D)));
        expect(b64([tree.root(size)])).toEqual(b64([root]));
        const leaf = leafHash(D[index]!);
        expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
        expect(verifyInclusion(flip(leaf, bit), index, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flip(root, bit))).toBe(false);
        if (size > 1) {
          expect(verifyInclusion(leaf, (index + 1) % size, size, proof, root)).toBe(false);
          const at = bit % proof.length;
          expect(
            verifyInclusion(
              leaf,
              index,
              size,
              proof.map((h, i) => (i === at ? flip(h, bit) : h)),
              root,
            ),
          ).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(1), root)).toBe(false);
        }
        expect(verifyInclusion(leaf, index, size, [...proof, root], root)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('consistency proofs against the RFC 9162 recursive definition', () => {
  it('equal PROOF(m, D[n]), verify between any two sizes, and fail for a rewritten prefix or altered proof', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), fc.nat(255), (all, a, b, bit) => {
        const to = 1 + (a % all.length);
        const from = 1 + (b % to);
        const tree = productionTree(all);
        const proof = tree.consistency(from, to);
        expect(b64(proof)).toEqual(b64(from === to ? [] : PROOF(from, all.slice(0, to))));
        const fromRoot = MTH(all.slice(0, from));
        const toRoot = MTH(all.slice(0, to));
        expect(verifyConsistency(from, to, proof, fromRoot, toRoot)).toBe(true);
        // A log that rewrote an entry of the old prefix: the old root no longer fits any proof of the new tree.
        const rewritten = all.slice(0, to);
        const target = bit % from;
        rewritten[target] = Uint8Array.of(...rewritten[target]!, 0xff);
        const forged = productionTree(rewritten);
        expect(verifyConsistency(from, to, forged.consistency(from, to), fromRoot, forged.root(to))).toBe(false);
        if (proof.length > 0) {
          const at = bit % proof.length;
          const altered = proof.map((h, i) => (i === at ? flip(h, bit) : h));
          expect(verifyConsistency(from, to, altered, fromRoot, toRoot)).toBe(false);
          expect(verifyConsistency(from, to, proof, flip(fromRoot, bit), toRoot)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
