/**
 * Reads of the ledger's stored Merkle tree (ledger-item.ts): entries in seq order (`scanLedger`), the frontier at a
 * size (one item read) and perfect-subtree hashes (one item read each, neighbours read together), so inclusion and
 * consistency proofs cost O(log n) reads, never a pass over the log.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DependencyError } from '../../../core/errors.js';
import { appendLeaf, type Hash } from '../../../core/ledger/merkle.js';
import type { StoredLeaf } from '../../../ports.js';
import { call } from './dynamo-support.js';
import { MAX_BLOCK_ENTRIES, readLedgerItem } from './ledger-item.js';

/** Stored leaves with seq in [from, to), oldest first; the first leaf of each item carries the item's frontier. */
export async function* scanLedger(
  doc: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  from: number,
  to = Number.MAX_SAFE_INTEGER,
): AsyncGenerator<StoredLeaf> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await call('ledger scan', () =>
      doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
          ExpressionAttributeValues: {
            ':pk': tenantId,
            // An item starting up to MAX_BLOCK_ENTRIES - 1 before `from` may hold it.
            ':lower': Math.max(0, from - MAX_BLOCK_ENTRIES + 1),
            ':upper': Math.max(0, to - 1),
          },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    for (const item of out.Items ?? []) {
      const contents = readLedgerItem(item);
      for (const [i, leaf] of contents.leaves.entries()) {
        if (leaf.seq < from) continue;
        if (leaf.seq >= to) return;
        yield i === 0 ? { ...leaf, frontierBefore: contents.frontier, wellFormed: contents.wellFormed } : leaf;
      }
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}

/** The item holding `seq` (the one with the greatest first seq ≤ seq), read back. */
async function itemHolding(doc: DynamoDBDocumentClient, table: string, tenantId: string, seq: number) {
  const out = await call('ledger tree read', () =>
    doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk <= :seq',
        ExpressionAttributeValues: { ':pk': tenantId, ':seq': seq },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    ),
  );
  const item = out.Items?.[0];
  const contents = item === undefined ? undefined : readLedgerItem(item);
  const leaf = contents?.leaves.find((l) => l.seq === seq);
  if (contents === undefined || leaf === undefined) throw new DependencyError(`ledger entry ${seq} is not stored`);
  return { contents, leaf };
}

/** The frontier (compact range) of the tree of `size` entries: one item read. */
export async function readFrontierAt(
  doc: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  size: number,
): Promise<Hash[]> {
  if (size === 0) return [];
  const { contents } = await itemHolding(doc, table, tenantId, size - 1);
  let frontier = contents.frontier;
  for (const leaf of contents.leaves) {
    if (leaf.seq >= size) break;
    const stored = leaf.nodes[0];
    if (stored === undefined) throw new DependencyError(`ledger entry ${leaf.seq} has no stored hash`);
    frontier = appendLeaf(frontier, leaf.seq, stored).frontier;
  }
  return frontier;
}

/**
 * Stored hashes of perfect subtrees [start, start + 2^k): the level-k node of entry start + 2^k − 1. Seqs close
 * together are read with one Query; isolated ones with one single-item Query each, all in parallel.
 */
export async function readSubtreeHashes(
  doc: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  ranges: readonly [number, number][],
): Promise<Hash[]> {
  const wanted = ranges.map(([start, end]) => {
    const level = Math.log2(end - start);
    if (!Number.isInteger(level) || start % (end - start) !== 0) throw new RangeError('not a perfect subtree');
    return { seq: end - 1, level };
  });
  const seqs = [...new Set(wanted.map((w) => w.seq))].sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const seq of seqs) {
    const last = clusters.at(-1);
    if (last !== undefined && seq - last.at(-1)! <= 2 * MAX_BLOCK_ENTRIES) last.push(seq);
    else clusters.push([seq]);
  }
  const nodes = new Map<number, Hash[]>();
  await Promise.all(
    clusters.map(async (cluster) => {
      if (cluster.length === 1) {
        const { leaf } = await itemHolding(doc, table, tenantId, cluster[0]!);
        nodes.set(leaf.seq, leaf.nodes);
        return;
      }
      const needed = new Set(cluster);
      for await (const leaf of scanLedger(doc, table, tenantId, cluster[0]!, cluster.at(-1)! + 1)) {
        if (needed.has(leaf.seq)) nodes.set(leaf.seq, leaf.nodes);
      }
    }),
  );
  return wanted.map(({ seq, level }) => {
    const hash = nodes.get(seq)?.[level];
    if (hash === undefined) throw new DependencyError(`ledger tree node ${level}@${seq} is not stored`);
    return hash;
  });
}
