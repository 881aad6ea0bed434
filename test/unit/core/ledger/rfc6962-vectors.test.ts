/**
 * RFC 6962 / RFC 9162 known answers from transparency-dev/merkle (test/fixtures/vectors/rfc6962/README.md): the
 * reference tree's every subtree and root, and every inclusion and consistency probe (happy paths and mutations).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appendLeaf, EMPTY_ROOT, type Hash, leafHash, rootOfLeaves } from '../../../../src/core/ledger/merkle.js';
import { verifyConsistency, verifyInclusion } from '../../../../src/core/ledger/proofs.js';

const dir = new URL('../../../fixtures/vectors/rfc6962/', import.meta.url);
const constants = JSON.parse(readFileSync(new URL('constants.json', dir), 'utf8')) as {
  leafInputsHex: string[];
  rootHashesHex: string[];
  nodeHashesHexByLevel: string[][];
};
interface InclusionProbe {
  leafIdx: number;
  treeSize: number;
  root: string | null;
  leafHash: string | null;
  proof: string[] | null;
  wantErr: boolean;
  file: string;
}
interface ConsistencyProbe {
  size1: number;
  size2: number;
  root1: string | null;
  root2: string | null;
  proof: string[] | null;
  wantErr: boolean;
  file: string;
}
const probes = JSON.parse(readFileSync(new URL('probes.json', dir), 'utf8')) as {
  inclusion: InclusionProbe[];
  consistency: ConsistencyProbe[];
};

const hex = (value: Hash) => Buffer.from(value).toString('hex');
const bytes = (base64: string | null): Hash => new Uint8Array(Buffer.from(base64 ?? '', 'base64'));

describe('RFC 6962 reference tree (transparency-dev/merkle testonly/constants.go)', () => {
  const leaves = constants.leafInputsHex.map((input) => leafHash(Buffer.from(input, 'hex')));

  it('roots of every size 0–8', () => {
    expect(hex(EMPTY_ROOT)).toBe(constants.rootHashesHex[0]);
    for (let size = 0; size <= leaves.length; size += 1) {
      expect(hex(rootOfLeaves(leaves.slice(0, size))), `size ${size}`).toBe(constants.rootHashesHex[size]);
    }
  });

  it('every complete subtree appendLeaf reports, by level and index', () => {
    let frontier: Hash[] = [];
    leaves.forEach((leaf, index) => {
      const appended = appendLeaf(frontier, index, leaf);
      appended.completed.forEach((hash, level) => {
        const position = Math.floor((index + 1) / 2 ** level) - 1;
        expect(hex(hash), `level ${level} index ${position}`).toBe(constants.nodeHashesHexByLevel[level]![position]);
      });
      frontier = appended.frontier;
    });
  });
});

describe('transparency-dev/merkle testdata probes', () => {
  it(`${probes.inclusion.length} inclusion probes verify exactly when expected`, () => {
    for (const probe of probes.inclusion) {
      const ok = verifyInclusion(
        bytes(probe.leafHash),
        probe.leafIdx,
        probe.treeSize,
        (probe.proof ?? []).map(bytes),
        bytes(probe.root),
      );
      expect(ok, probe.file).toBe(!probe.wantErr);
    }
  });

  it(`${probes.consistency.length} consistency probes verify exactly when expected`, () => {
    for (const probe of probes.consistency) {
      const ok = verifyConsistency(
        probe.size1,
        probe.size2,
        (probe.proof ?? []).map(bytes),
        bytes(probe.root1),
        bytes(probe.root2),
      );
      expect(ok, probe.file).toBe(!probe.wantErr);
    }
  });
});
