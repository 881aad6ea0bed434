/**
 * The ledger's stored Merkle tree against dynalite: written by concurrent appenders (several processes and group
 * commits), it equals the RFC 9162 tree of the entries' leaf texts, and every inclusion and consistency proof read
 * from it (O(log n) item reads) verifies against the recomputed roots.
 */
import { describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../../src/adapters/aws/dynamo/ledger.js';
import { canonicalString } from '../../../src/core/canonical-json.js';
import { type Hash, leafHash, rootOfFrontier, rootOfLeaves } from '../../../src/core/ledger/merkle.js';
import {
  consistencyRanges,
  decomposeRange,
  foldRight,
  inclusionRanges,
  type Range,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/core/ledger/proofs.js';
import { concurrently, freshTenant, useEmulators } from '../support/emulators.js';
import { auditInput } from '../support/records.js';

const env = useEmulators();

async function proofOf(ledger: DynamoLedger, tenant: string, ranges: Range[]): Promise<Hash[]> {
  const parts = ranges.map(decomposeRange);
  const hashes = await ledger.subtreeHashes(tenant, parts.flat());
  let at = 0;
  return parts.map((p) => {
    const slice = hashes.slice(at, at + p.length);
    at += p.length;
    return foldRight(slice);
  });
}

describe('stored Merkle tree against dynalite', () => {
  it('concurrent writers build the RFC 9162 tree of the leaf texts; every proof read from it verifies', async () => {
    const tenant = freshTenant();
    const writers = Array.from(
      { length: 4 },
      () => new DynamoLedger(env().doc, env().tableNames, undefined, { maxAttempts: 60 }),
    );
    const appended = await concurrently(70, (i) => writers[i % 4]!.append(auditInput(tenant, i)));
    const bySeq = [...appended].sort((a, b) => a.seq - b.seq);
    const leaves = bySeq.map((entry) => leafHash(canonicalString(entry)));
    const scanned: string[] = [];
    for await (const stored of writers[0]!.scan(tenant, 0)) scanned.push(stored.leaf);
    expect(scanned).toEqual(bySeq.map((entry) => canonicalString(entry)));
    const root = (size: number) => rootOfLeaves(leaves.slice(0, size));
    const reader = writers[3]!;
    for (const size of [1, 2, 3, 7, 8, 9, 31, 32, 33, 64, 69, 70]) {
      expect(Buffer.from(rootOfFrontier(await reader.frontierAt(tenant, size)))).toEqual(Buffer.from(root(size)));
      for (const index of [0, 1, Math.floor(size / 2), size - 1].filter((i) => i < size)) {
        const proof = await proofOf(reader, tenant, inclusionRanges(index, size));
        expect(verifyInclusion(leaves[index]!, index, size, proof, root(size)), `${index}/${size}`).toBe(true);
      }
      for (const from of [1, 2, 5, 8, size].filter((f) => f <= size)) {
        const proof = await proofOf(reader, tenant, consistencyRanges(from, size));
        expect(verifyConsistency(from, size, proof, root(from), root(size)), `${from}→${size}`).toBe(true);
      }
    }
    const head = await reader.head(tenant);
    expect(head.size).toBe(70);
    expect(Buffer.from(rootOfFrontier(head.frontier))).toEqual(Buffer.from(root(70)));
  });

  it('scan reads a range, starting inside a block', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames);
    await concurrently(20, (i) => ledger.append(auditInput(tenant, i)));
    const seqs: number[] = [];
    for await (const stored of ledger.scan(tenant, 5, 12)) seqs.push(stored.seq);
    expect(seqs).toEqual([5, 6, 7, 8, 9, 10, 11]);
  });
});
