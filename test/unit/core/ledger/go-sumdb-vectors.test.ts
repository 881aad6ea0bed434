/**
 * Known answers generated with Go's golang.org/x/mod/sumdb/tlog and sumdb/note (test/fixtures/vectors/go-sumdb): our
 * proofs must equal Go's for every index, size and pair of sizes up to 33 leaves, and a checkpoint Go signed must open
 * and be re-signed byte for byte.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkpointText, parseCheckpointText } from '../../../../src/core/ledger/checkpoint.js';
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
import {
  openNote,
  parseVerifierKey,
  rawEd25519FromSpki,
  signNote,
  verifierKey,
} from '../../../../src/core/ledger/signed-note.js';
import { encodeTileIndex, tilePath } from '../../../../src/core/ledger/tiles.js';
import { ed25519FromSeed, ed25519Signer } from './ed25519-seed.js';

const go = JSON.parse(
  readFileSync(new URL('../../../fixtures/vectors/go-sumdb/go-vectors.json', import.meta.url), 'utf8'),
) as {
  leaves: string[];
  roots: string[];
  inclusion: { Index: number; Size: number; Proof: string[] }[];
  consistency: { From: number; To: number; Proof: string[] }[];
  tiles: { Level: number; Index: number; Width: number; Path: string }[];
  note: { seedHex: string; name: string; vkey: string; text: string; signed: string };
};

const b64 = (hash: Hash) => Buffer.from(hash).toString('base64');
const leaves = go.leaves.map((text) => leafHash(Buffer.from(text, 'utf8')));
/** Every perfect subtree hash of the 33-leaf tree, keyed `start,end`, as a store would hold them. */
const stored = new Map<string, Hash>();
const frontiers: Hash[][] = [[]];
leaves.forEach((leaf, index) => {
  const { frontier, completed } = appendLeaf(frontiers[index]!, index, leaf);
  for (const [level, hash] of completed.entries()) stored.set(`${index + 1 - 2 ** level},${index + 1}`, hash);
  frontiers.push(frontier);
});
const rangeHash = (range: Range) => foldRight(decomposeRange(range).map(([s, e]) => stored.get(`${s},${e}`)!));

describe("Go's sumdb/tlog", () => {
  it('tree hashes of every size 1–33 (Go reports the empty tree as all zeros; RFC 9162 says SHA-256 of "")', () => {
    frontiers.forEach((frontier, size) => {
      if (size > 0) expect(b64(rootOfFrontier(frontier)), `size ${size}`).toBe(go.roots[size]);
    });
    expect(go.roots[0]).toBe(Buffer.alloc(32).toString('base64'));
  });

  it('inclusion proofs equal tlog.ProveRecord for every index and size, and verify', () => {
    for (const { Index, Size, Proof } of go.inclusion) {
      const proof = inclusionRanges(Index, Size).map(rangeHash);
      expect(proof.map(b64), `${Index}/${Size}`).toEqual(Proof);
      expect(verifyInclusion(leaves[Index]!, Index, Size, proof, rootOfFrontier(frontiers[Size]!))).toBe(true);
    }
  });

  it('consistency proofs equal tlog.ProveTree for every pair of sizes, and verify', () => {
    for (const { From, To, Proof } of go.consistency) {
      const proof = consistencyRanges(From, To).map(rangeHash);
      expect(proof.map(b64), `${From}→${To}`).toEqual(Proof);
      const ok = verifyConsistency(From, To, proof, rootOfFrontier(frontiers[From]!), rootOfFrontier(frontiers[To]!));
      expect(ok, `${From}→${To}`).toBe(true);
    }
  });

  it('tile paths: the index encoding of tlog.Tile.Path (C2SP drops the height element)', () => {
    for (const tile of go.tiles) {
      expect(`tile/8/${tilePath({ level: tile.Level, index: tile.Index, width: tile.Width }).slice(5)}`).toBe(
        tile.Path,
      );
    }
    expect(encodeTileIndex(1_234_067)).toBe('x001/x234/067');
  });
});

describe("Go's sumdb/note on a checkpoint", () => {
  const key = ed25519FromSeed(Buffer.from(go.note.seedHex, 'hex'));
  const publicKey = rawEd25519FromSpki(createPublicKey(key).export({ format: 'der', type: 'spki' }));

  it('the same vkey, the same checkpoint text, the same signed note', async () => {
    expect(verifierKey(go.note.name, publicKey)).toBe(go.note.vkey);
    const text = checkpointText({ origin: go.note.name, size: 33, rootHash: rootOfFrontier(frontiers[33]!) });
    expect(text).toBe(go.note.text);
    expect(await signNote(text, go.note.name, publicKey, ed25519Signer(key))).toBe(go.note.signed);
    const opened = openNote(go.note.signed, parseVerifierKey(go.note.vkey));
    expect(parseCheckpointText(opened)).toMatchObject({ origin: go.note.name, size: 33 });
  });
});
