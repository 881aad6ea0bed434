/**
 * In-memory ledger: the unit-test fake of the Ledger port, with core's hashing rules (hash chain and Merkle tree) and
 * the same listing and cursor rules as the DynamoDB ledger. Each append is its own "item".
 */

import { newAuditId } from '../../core/ledger/audit-id.js';
import {
  badCursor,
  checkAuditQuery,
  cursorNames,
  decodeAuditCursor,
  encodeAuditCursor,
  matchesAuditQuery,
} from '../../core/ledger/audit-query.js';
import { appendLeaf, type Hash, leafHash } from '../../core/ledger/merkle.js';
import { checkStoredLog } from '../../core/ledger/stored-log-check.js';
import { GENESIS_HASH, leafText, sealLeaf } from '../../core/ledger-hash.js';
import type { AuditEntry, AuditEntryInput } from '../../core/model.js';
import type { AuditQuery, Clock, Ledger, LedgerVerification, Page, StoredLeaf, TreeHead } from '../../ports.js';

interface Log {
  /** The entries as appended; tests may replace or remove elements to simulate tampering (`rawChain`). */
  entries: AuditEntry[];
  /** Per seq: the tree hashes written with the entry and the frontier before it. */
  tree: { nodes: Hash[]; frontierBefore: Hash[] }[];
  frontier: Hash[];
}

export class MemoryLedger implements Ledger {
  private readonly logs = new Map<string, Log>();
  /** Test hook: the next append fails, to exercise "audit before answer". */
  failNextAppend = false;

  constructor(private readonly clock: Clock = { now: () => Date.now() }) {}

  async append(input: AuditEntryInput): Promise<AuditEntry> {
    if (this.failNextAppend) {
      this.failNextAppend = false;
      throw new Error('ledger unavailable');
    }
    const log = this.log(input.tenantId);
    const prev = log.entries.at(-1);
    const seq = log.entries.length;
    // Object.assign, not an object spread with extra keys: V8 makes the latter an order of magnitude slower.
    const { entry, leaf } = sealLeaf(
      Object.assign({}, input, {
        id: newAuditId(seq),
        seq,
        createdAt: new Date(this.clock.now()).toISOString(),
        prevHash: prev?.hash ?? GENESIS_HASH,
      }),
    );
    const { frontier, completed } = appendLeaf(log.frontier, seq, leafHash(leaf));
    log.tree.push({ nodes: completed, frontierBefore: log.frontier });
    log.frontier = frontier;
    Object.freeze(entry);
    log.entries.push(entry);
    return entry;
  }

  async list(tenantId: string, query: AuditQuery): Promise<Page<AuditEntry>> {
    checkAuditQuery(query);
    const entries = this.log(tenantId).entries;
    let after = -1;
    if (query.cursor !== undefined) {
      const cursor = decodeAuditCursor(query.cursor, query);
      const named = entries[cursor.s];
      if (named === undefined || !cursorNames(cursor, named)) throw badCursor();
      after = cursor.s;
    }
    const matches = matchesAuditQuery(query);
    const items: AuditEntry[] = [];
    for (const entry of entries.slice(after + 1)) {
      if (!matches(entry)) continue;
      items.push(entry);
      if (items.length === query.limit) return { items, nextCursor: encodeAuditCursor(entry, query) };
    }
    return { items };
  }

  async *scan(tenantId: string, from: number, to = Number.MAX_SAFE_INTEGER): AsyncIterable<StoredLeaf> {
    for (const leaf of this.storedLeaves(tenantId).slice(from, to)) yield leaf;
  }

  async head(tenantId: string): Promise<TreeHead> {
    const log = this.log(tenantId);
    return { size: log.entries.length, frontier: log.frontier };
  }

  async frontierAt(tenantId: string, size: number): Promise<Hash[]> {
    let frontier: Hash[] = [];
    this.log(tenantId)
      .tree.slice(0, size)
      .forEach((stored, seq) => {
        frontier = appendLeaf(frontier, seq, stored.nodes[0]!).frontier;
      });
    return frontier;
  }

  async subtreeHashes(tenantId: string, ranges: readonly [number, number][]): Promise<Hash[]> {
    const tree = this.log(tenantId).tree;
    return ranges.map(([start, end]) => {
      const hash = tree[end - 1]?.nodes[Math.log2(end - start)];
      if (hash === undefined || start % (end - start) !== 0) throw new RangeError('no such subtree');
      return hash;
    });
  }

  async verify(tenantId: string): Promise<LedgerVerification> {
    return checkStoredLog(this.storedLeaves(tenantId));
  }

  /** Test hook: direct access to the stored entries, to simulate tampering (entries are frozen: replace them). */
  rawChain(tenantId: string): AuditEntry[] {
    return this.log(tenantId).entries;
  }

  /** The entries as stored leaves: the leaf text is re-derived, so a replaced entry no longer matches its tree. */
  private storedLeaves(tenantId: string): StoredLeaf[] {
    const log = this.log(tenantId);
    return log.entries.map((entry, i) => ({
      seq: Number(entry.seq),
      leaf: leafText(entry),
      nodes: log.tree[Number(entry.seq)]?.nodes ?? [],
      ...(i === Number(entry.seq) ? { frontierBefore: log.tree[i]?.frontierBefore ?? [] } : {}),
    }));
  }

  private log(tenantId: string): Log {
    let log = this.logs.get(tenantId);
    if (log === undefined) {
      log = { entries: [], tree: [], frontier: [] };
      this.logs.set(tenantId, log);
    }
    return log;
  }
}
