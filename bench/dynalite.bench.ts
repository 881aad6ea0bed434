/**
 * Store throughput against dynalite, each against dynalite's own bare conditional PutItem rate measured in the same
 * run (the baseline the pipeline-against-dynalite benchmark also compares to). Concurrency 8, as a verifier fleet
 * would keep several requests in flight. `npm run bench dynalite`.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoLedger } from '../src/adapters/aws/dynamo/ledger.js';
import { DynamoNonceStore } from '../src/adapters/aws/dynamo/nonce-store.js';
import { DynamoVelocityStore } from '../src/adapters/aws/dynamo/velocity-store.js';
import { startEmulators } from '../src/adapters/local/emulators.js';
import { type Benchmark, type BenchResult, opsPerSecond, result } from './harness.js';

export const DYNALITE_CONCURRENCY = 8;
const BASELINE = 'dynalite bare conditional PutItem';

/**
 * Ops/s of single-item conditional PutItems (`attribute_not_exists(pk)`, always succeeding) into `table`, whose key
 * must be `pk` (S) with an optional `sk` (S): the fastest write DynamoDB-backed code can do per request.
 */
export async function bareConditionalPutRate(
  doc: DynamoDBDocumentClient,
  table: string,
  options: { concurrency?: number; minMs?: number } = {},
): Promise<number> {
  const run = randomUUID();
  return opsPerSecond(
    (i) =>
      doc.send(
        new PutCommand({
          TableName: table,
          Item: { pk: `bench#${run}#${i}`, sk: 'bench', expiresAt: 0 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    { concurrency: options.concurrency ?? DYNALITE_CONCURRENCY, minMs: options.minMs ?? 3_000 },
  );
}

export const benchmarks: Benchmark[] = [
  {
    name: 'dynalite stores',
    async run(): Promise<BenchResult[]> {
      const emulators = await startEmulators();
      try {
        const { doc, tableNames } = emulators;
        const options = { concurrency: DYNALITE_CONCURRENCY, minMs: 3_000 };
        const bareBefore = await bareConditionalPutRate(doc, tableNames.counters, options);

        const nonces = new DynamoNonceStore(doc, tableNames);
        const run = randomUUID();
        const claim = await opsPerSecond(
          (i) => nonces.claim('bench', `sha256:${run}`, `nonce-${i}-0123456789`, 1_000, 601_000),
          options,
        );

        const velocity = new DynamoVelocityStore(doc, tableNames);
        // Spread over 64 certificates: per-certificate counters are one item, as in production.
        const consume = await opsPerSecond(
          (i) =>
            velocity.consume({
              tenantId: 'bench',
              at: 1_764_190_000_000 + i,
              amount: 1,
              levels: [{ fingerprint: `sha256:${run}:${i % 64}`, maxTransactionsPerHour: 1e9, maxDailyVolume: 1e12 }],
            }),
          options,
        );

        const ledger = new DynamoLedger(doc, tableNames);
        const append = await opsPerSecond(
          (i) => ledger.append({ tenantId: `bench-${run}`, actorId: 'bench', type: 'action.verified', nonce: `n${i}` }),
          options,
        );
        // Baseline measured before and after and averaged, so drifting machine load biases no ratio.
        const bare = (bareBefore + (await bareConditionalPutRate(doc, tableNames.counters, options))) / 2;
        return [
          result('dynalite nonce claim (conditional PutItem)', claim, BASELINE, bare),
          result('dynalite velocity consume (one-item hour + day update)', consume, BASELINE, bare),
          result(
            'dynalite ledger append (one tenant, concurrent appends batched into block items)',
            append,
            BASELINE,
            bare,
          ),
        ];
      } finally {
        await emulators.stop();
      }
    },
  },
];
