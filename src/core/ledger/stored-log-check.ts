/**
 * One pass over a tenant's stored log that checks everything the ledger claims (docs/api.md §7, `GET /v1/audit/verify`):
 * seqs gapless from 0, each leaf text the JCS form of its entry, every hash link, every stored tree hash and frontier
 * against the hashes recomputed from the leaves, and the recomputed root at every signed checkpoint's size. A log
 * rewritten with recomputed hashes passes the chain and tree checks but not the checkpoint roots: the first
 * contradicted checkpoint is named, and `locate` (archived tiles: immutable leaf hashes) finds the first leaf that
 * differs from what was signed.
 */
import { canonicalString } from '../canonical-json.js';
import { entryHash, GENESIS_HASH } from '../ledger-hash.js';
import type { AuditEntry } from '../model.js';
import { appendLeaf, type Hash, leafHash, rootOfFrontier, sameHash } from './merkle.js';

export interface StoredLeafLike {
  seq: number;
  leaf: string;
  nodes: Hash[];
  frontierBefore?: Hash[];
  wellFormed?: boolean;
}

export interface SignedRoot {
  size: number;
  rootHash: Hash;
  /** The signed note, named in the answer when the log contradicts it. */
  note: string;
}

export type StoredLogCheck =
  | {
      valid: true;
      entries: number;
      head: { seq: number; hash: string } | null;
      /** The newest signed checkpoint the log was checked against. */
      checkpoint?: { size: number; checkpoint: string };
    }
  | {
      valid: false;
      entries: number;
      firstInvalidSeq: number;
      reason: string;
      contradictedCheckpoint?: { size: number; checkpoint: string };
    };

export interface CheckOptions {
  /** Signed checkpoints the log must agree with (signatures already verified by the caller). */
  checkpoints?: readonly SignedRoot[];
  /**
   * Given the recomputed leaf hashes from `from` on, the first seq whose hash differs from the one that was signed
   * (e.g. read from the archived tiles), or undefined when it cannot tell.
   */
  locate?: (from: number, leafHashes: readonly Hash[]) => Promise<number | undefined>;
}

export async function checkStoredLog(
  leaves: AsyncIterable<StoredLeafLike> | Iterable<StoredLeafLike>,
  options: CheckOptions = {},
): Promise<StoredLogCheck> {
  const checkpoints = [...(options.checkpoints ?? [])].sort((a, b) => a.size - b.size);
  let next = 0;
  let expectedSeq = 0;
  let prevHash = GENESIS_HASH;
  let frontier: Hash[] = [];
  let head: { seq: number; hash: string } | null = null;
  let lastMatched: SignedRoot | undefined;
  /** Leaf hashes since the last checkpoint that matched, to locate a rewrite. */
  let sinceMatched: Hash[] = [];
  const fail = (seq: number, reason: string) =>
    ({ valid: false, entries: expectedSeq, firstInvalidSeq: seq, reason }) as const;
  /**
   * A broken link at seq s may be an entry before s that was replaced consistently (its own hash recomputed): the
   * archived leaf hashes since the last signed checkpoint tell, and the earlier seq is reported.
   */
  const failLocated = async (seq: number, reason: string) => {
    const located = await options.locate?.(lastMatched?.size ?? 0, sinceMatched);
    return fail(located !== undefined && located < seq ? located : seq, reason);
  };

  // A checkpoint of size 0 is trivially consistent; skip them.
  while (checkpoints[next]?.size === 0) next += 1;
  for await (const stored of leaves) {
    if (stored.seq !== expectedSeq) return failLocated(expectedSeq, `entry ${expectedSeq} is missing`);
    if (stored.wellFormed === false) return failLocated(stored.seq, 'the stored item is malformed');
    const entry = parse(stored.leaf);
    if (entry === undefined || entry.seq !== stored.seq)
      return failLocated(stored.seq, 'the stored entry does not parse');
    if (canonicalString(entry) !== stored.leaf) return failLocated(stored.seq, 'the stored entry is not in JCS form');
    if (entry.prevHash !== prevHash) return failLocated(stored.seq, 'prevHash does not link');
    if (entryHash(entry) !== entry.hash) return failLocated(stored.seq, 'hash does not match contents');
    if (stored.frontierBefore !== undefined && !sameHashes(stored.frontierBefore, frontier)) {
      return failLocated(stored.seq, 'the stored Merkle frontier does not match the entries before it');
    }
    const leaf = leafHash(stored.leaf);
    const appended = appendLeaf(frontier, stored.seq, leaf);
    if (!sameHashes(appended.completed, stored.nodes)) {
      return failLocated(stored.seq, 'the stored Merkle tree hashes do not match the entry');
    }
    frontier = appended.frontier;
    sinceMatched.push(leaf);
    prevHash = entry.hash;
    head = { seq: entry.seq, hash: entry.hash };
    expectedSeq += 1;
    for (; checkpoints[next]?.size === expectedSeq; next += 1) {
      const signed = checkpoints[next]!;
      if (!sameHash(rootOfFrontier(frontier), signed.rootHash)) {
        const from = lastMatched?.size ?? 0;
        const located = await options.locate?.(from, sinceMatched);
        return {
          ...fail(located ?? from, `the log contradicts the signed checkpoint of size ${signed.size}`),
          contradictedCheckpoint: { size: signed.size, checkpoint: signed.note },
        };
      }
      lastMatched = signed;
      sinceMatched = [];
    }
  }
  const unmet = checkpoints[next];
  if (unmet !== undefined) {
    return {
      ...fail(expectedSeq, `the log ends before the signed checkpoint of size ${unmet.size}`),
      contradictedCheckpoint: { size: unmet.size, checkpoint: unmet.note },
    };
  }
  return {
    valid: true,
    entries: expectedSeq,
    head,
    ...(lastMatched === undefined ? {} : { checkpoint: { size: lastMatched.size, checkpoint: lastMatched.note } }),
  };
}

function parse(text: string): AuditEntry | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as AuditEntry) : undefined;
  } catch {
    return undefined;
  }
}

function sameHashes(a: readonly Hash[], b: readonly Hash[]): boolean {
  return a.length === b.length && a.every((hash, i) => sameHash(hash, b[i]));
}
