/**
 * The audit ledger as a transparency log, against dynalite (`npm run bench ledger`):
 * - sustained append rate of 8 independent writers (as 8 Lambda containers: every append is its own conditional
 *   PutItem of one entry and its tree hashes, racing for the head), against dynalite's bare conditional PutItem;
 * - the cost of one checkpoint over 100,000 new entries (re-read, re-hash, check, sign, write the tiles);
 * - the time of one inclusion proof at 1,000,000 entries. The million-entry tree is computed in memory with the
 *   production code, and only the items the measured proofs read are written to dynalite (a 1 M-entry table does not
 *   fit this machine's memory in dynalite); a Query `sk <= :seq` with `Limit 1` costs the same whatever else the
 *   partition holds, so the proof does exactly the reads it would do in a full table.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCheckpointStore } from '../src/adapters/aws/dynamo/checkpoint-store.js';
import { DynamoLedger } from '../src/adapters/aws/dynamo/ledger.js';
import { toLedgerItem } from '../src/adapters/aws/dynamo/ledger-item.js';
import { startEmulators } from '../src/adapters/local/emulators.js';
import { MemoryKeyVault } from '../src/adapters/memory/memory-key-vault.js';
import { MemoryLogArchive } from '../src/adapters/memory/memory-log.js';
import { MemoryEventPublisher } from '../src/adapters/memory/memory-streams.js';
import { AuditLogService } from '../src/app/audit-log.js';
import { appendLeaf, type Hash, leafHash, rootOfFrontier } from '../src/core/ledger/merkle.js';
import { decomposeRange, foldRight, inclusionRanges, verifyInclusion } from '../src/core/ledger/proofs.js';
import { bareConditionalPutRate } from './dynalite.bench.js';
import { type Benchmark, type BenchResult, opsPerSecond, result } from './harness.js';

const WRITERS = 8;

export const benchmarks: Benchmark[] = [
  {
    name: 'ledger transparency log',
    async run(): Promise<BenchResult[]> {
      const emulators = await startEmulators();
      try {
        const { doc, tableNames } = emulators;
        const options = { concurrency: WRITERS, minMs: 3_000 };
        const bareBefore = await bareConditionalPutRate(doc, tableNames.counters, options);
        const tenant = `bench-${randomUUID()}`;
        const writers = Array.from(
          { length: WRITERS },
          () => new DynamoLedger(doc, tableNames, undefined, { maxAttempts: 200 }),
        );
        const independent = await opsPerSecond(
          (i) =>
            writers[i % WRITERS]!.append({
              tenantId: tenant,
              actorId: 'bench',
              type: 'action.verified',
              nonce: `n${i}`,
            }),
          options,
        );
        const bare = (bareBefore + (await bareConditionalPutRate(doc, tableNames.counters, options))) / 2;

        // 100,000 new entries, appended with group commit (64 in flight), then one checkpoint over all of them.
        const big = `bench-${randomUUID()}`;
        const ledger = new DynamoLedger(doc, tableNames);
        const N = 100_000;
        let next = 0;
        await Promise.all(
          Array.from({ length: 64 }, async () => {
            while (next < N) {
              const i = next;
              next += 1;
              await ledger.append({ tenantId: big, actorId: 'bench', type: 'action.verified', nonce: `n${i}` });
            }
          }),
        );
        const vault = new MemoryKeyVault();
        const keyId = await vault.createKey('ECC_NIST_EDWARDS25519', { tenantId: 'deployment', purpose: 'checkpoint' });
        const auditLog = new AuditLogService({
          ledger,
          checkpoints: new DynamoCheckpointStore(doc, tableNames),
          archive: new MemoryLogArchive(),
          vault,
          events: new MemoryEventPublisher(),
          clock: { now: () => Date.now() },
          checkpointKeyId: async () => keyId,
          logHost: 'bench.local',
          coverageMs: 0,
        });
        const started = performance.now();
        const checkpoint = await auditLog.publish(big);
        const checkpointSeconds = (performance.now() - started) / 1_000;
        if (checkpoint.size !== N) throw new Error(`checkpoint covers ${checkpoint.size}, not ${N}`);

        const proofsPerSecond = await inclusionProofRate(emulators);
        return [
          result(
            'ledger append, 8 independent writers (one entry per PutItem, racing)',
            independent,
            'dynalite bare conditional PutItem',
            bare,
          ),
          result(
            `checkpoint over ${N} new entries (entries/s; took ${checkpointSeconds.toFixed(1)} s)`,
            N / checkpointSeconds,
            'dynalite bare conditional PutItem',
            bare,
          ),
          result(
            'inclusion proof at 1,000,000 entries (proofs/s, one at a time)',
            proofsPerSecond,
            'dynalite bare conditional PutItem',
            bare,
          ),
        ];
      } finally {
        await emulators.stop();
      }
    },
  },
];

async function inclusionProofRate(emulators: Awaited<ReturnType<typeof startEmulators>>): Promise<number> {
  const { doc, tableNames } = emulators;
  const SIZE = 1_000_000;
  const tenant = `bench-${randomUUID()}`;
  const indexes = [0, 1, 4_095, 123_456, 500_000, 777_777, 999_998, 999_999];
  const needed = new Set<number>();
  for (const index of indexes) {
    for (const range of inclusionRanges(index, SIZE)) for (const [, end] of decomposeRange(range)) needed.add(end - 1);
  }
  // One pass over a million leaves with the production code, keeping only what the measured proofs touch.
  const nodes = new Map<number, Hash[]>();
  const frontiers = new Map<number, Hash[]>();
  const leaves = new Map<number, Hash>();
  let frontier: Hash[] = [];
  for (let seq = 0; seq < SIZE; seq += 1) {
    const leaf = leafHash(`{"seq":${seq}}`);
    const appended = appendLeaf(frontier, seq, leaf);
    if (needed.has(seq)) {
      nodes.set(seq, appended.completed);
      frontiers.set(seq, frontier);
    }
    if (indexes.includes(seq)) leaves.set(seq, leaf);
    frontier = appended.frontier;
  }
  const root = rootOfFrontier(frontier);
  for (const seq of needed) {
    await doc.send(
      new PutCommand({
        TableName: tableNames.ledger,
        Item: toLedgerItem(tenant, [{ seq, leaf: `{"seq":${seq}}`, nodes: nodes.get(seq)! }], frontiers.get(seq)!),
      }),
    );
  }
  const ledger = new DynamoLedger(doc, tableNames);
  let i = 0;
  return opsPerSecond(
    async () => {
      const index = indexes[i % indexes.length]!;
      i += 1;
      const parts = inclusionRanges(index, SIZE).map(decomposeRange);
      const hashes = await ledger.subtreeHashes(tenant, parts.flat());
      let at = 0;
      const proof = parts.map((p) => {
        const slice = hashes.slice(at, at + p.length);
        at += p.length;
        return foldRight(slice);
      });
      if (!verifyInclusion(leaves.get(index)!, index, SIZE, proof, root)) throw new Error('proof does not verify');
    },
    { concurrency: 1, minMs: 3_000, warmup: 8 },
  );
}
