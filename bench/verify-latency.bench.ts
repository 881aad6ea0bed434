/**
 * Verification latency where users feel it: each AWS call costs a network round trip, so the number of SEQUENTIAL
 * calls on the verify path is its latency. Here every DynamoDB request (dynalite, embedded) and every Kinesis request
 * (kinesalite) is delayed by a fixed DELAY (default 10 ms, `BENCH_AWS_DELAY_MS`), verifications run one at a time,
 * and p50/p99 are reported as multiples of DELAY (targets ≤ 2.2 without velocity limits, ≤ 3.2 with them; issue 9).
 * dynalite's own time per request adds to every round trip (several ms on a loaded machine), so each line also gives
 * the multiples of one measured round trip (a bare GetItem through the same delayed client): ≈ the number of
 * sequential AWS round trips. And the AWS requests per verification.
 * `npm run bench verify-latency`.
 *
 * Setup as bench/pipeline-dynalite.bench.ts: the real DynamoDB stores and the Kinesis action stream, one agent, a leaf
 * certificate under a parent, pre-signed envelopes with fresh nonces; the warm path (facts cache and ledger head
 * filled by a first verification). The risk score is read from the monitoring table inside the state BatchGetItem.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoStores, type DynamoStores } from '../src/adapters/aws/dynamo/index.js';
import { KinesisActionStream } from '../src/adapters/aws/kinesis-action-stream.js';
import { type Emulators, startEmulators } from '../src/adapters/local/emulators.js';
import { signedBytes } from '../src/core/envelope/schema.js';
import type { CertificateRecord, Scope, SignedEnvelope } from '../src/core/model.js';
import { ActionVerifier } from '../src/core/verification/action-verifier.js';
import type { Clock } from '../src/ports.js';
import { scopedCertificatePem } from '../test/support/scoped-certificate.js';
import type { Benchmark } from './harness.js';

export const TENANT = 't_bench_latency';
export const AGENT = 'a_benchlatency000000';
export const DELAY_MS = Number(process.env.BENCH_AWS_DELAY_MS ?? 10);
export const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 200);
const clock: Clock = { now: () => Date.now() };
const BASE_SCOPE: Scope = { currency: 'EUR', maxTransactionSize: 1_000_000, allowedActions: ['charge'] };
export const VARIANTS = [
  { label: 'no velocity limits', scope: BASE_SCOPE, target: 2.2 },
  {
    label: 'velocity limits',
    scope: { ...BASE_SCOPE, maxTransactionsPerHour: 1_000_000_000, maxDailyVolume: 1_000_000_000_000 },
    target: 3.2,
  },
];

export interface LatencyResult {
  bench: string;
  delay_ms: number;
  samples: number;
  p50_ms: number;
  p99_ms: number;
  p50_x_delay: number;
  p99_x_delay: number;
  target_p50_x_delay: number;
  /** p50 of one bare GetItem through the same delayed client: one real round trip (delay + dynalite's own time). */
  round_trip_p50_ms: number;
  p50_x_round_trip: number;
  p99_x_round_trip: number;
  aws_requests_per_verification: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Delays every request of an SDK client by DELAY_MS and counts them. */
function delayed(client: { middlewareStack: { add: (...args: never[]) => unknown } }, counter: { n: number }) {
  (client.middlewareStack.add as (m: unknown, o: unknown) => void)(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      counter.n += 1;
      await sleep(DELAY_MS);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'benchInjectedDelay' },
  );
}

export function certificate(seed: string, publicKeyPem: string, scope: Scope, parent?: string): CertificateRecord {
  const now = Date.now();
  return {
    tenantId: TENANT,
    fingerprint: `sha256:${createHash('sha256').update(seed).digest('hex')}`,
    serialNumber: randomBytes(16).toString('hex'),
    agentId: AGENT,
    // The verifier decodes the scope from the certificate itself (a real, parseable one).
    pem: scopedCertificatePem(scope),
    publicKeyPem,
    publicKeyAlgorithm: 'ECDSA_P256',
    scope,
    notBefore: now - 86_400_000,
    notAfter: now + 86_400_000,
    ancestors: parent === undefined ? [] : [parent],
    ...(parent === undefined ? {} : { parentFingerprint: parent }),
    status: 'active',
    createdAt: now,
  };
}

export function envelopes(leaf: CertificateRecord, privateKey: KeyObject, count: number): SignedEnvelope[] {
  const run = randomBytes(6).toString('hex');
  return Array.from({ length: count }, (_, i) => {
    const unsigned = {
      payload: { action: 'charge', amount: 42.5, currency: 'EUR', invoice: `inv-${i}` },
      certificateFingerprint: leaf.fingerprint,
      timestamp: Date.now(),
      nonce: `lat_${run}_${i.toString().padStart(8, '0')}`,
    };
    const signature = sign('sha256', signedBytes(unsigned), { key: privateKey, dsaEncoding: 'der' });
    return { ...unsigned, signature: signature.toString('base64') };
  });
}

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
export const round = (n: number) => Number(n.toPrecision(3));

/**
 * Verifies the pool one at a time after 5 warm-up envelopes (caches, ledger head): p50 and p99 wall time, and the
 * port or AWS calls per verification counted by `counter`.
 */
export async function timeVerifications(
  verifier: { verify(tenantId: string, envelope: unknown): Promise<{ verified: boolean; error?: { code: string } }> },
  pool: SignedEnvelope[],
  counter: { n: number },
): Promise<{ p50: number; p99: number; samples: number; calls: number }> {
  for (const envelope of pool.slice(0, 5)) await verifier.verify(TENANT, envelope);
  const latencies: number[] = [];
  const before = counter.n;
  for (const envelope of pool.slice(5)) {
    const started = performance.now();
    const outcome = await verifier.verify(TENANT, envelope);
    latencies.push(performance.now() - started);
    if (!outcome.verified) throw new Error(`bench envelope rejected: ${outcome.error?.code}`);
  }
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    samples: latencies.length,
    calls: (counter.n - before) / latencies.length,
  };
}

/** p50 of a bare consistent GetItem through the delayed client: the unit "one AWS round trip" on this machine. */
async function roundTripP50(emulators: Emulators): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 60; i += 1) {
    const started = performance.now();
    await emulators.doc.send(
      new GetCommand({
        TableName: emulators.tableNames.registry,
        Key: { pk: 'bench#absent', sk: String(i) },
        ConsistentRead: true,
      }),
    );
    times.push(performance.now() - started);
  }
  return percentile(
    times.sort((a, b) => a - b),
    0.5,
  );
}

async function measure(
  stores: DynamoStores,
  stream: KinesisActionStream,
  counter: { n: number },
  index: number,
  roundTrip: number,
) {
  const variant = VARIANTS[index]!;
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyPem = pair.publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const seed = randomBytes(8).toString('hex');
  const parent = certificate(`${seed}-parent`, publicKeyPem, variant.scope);
  const leaf = certificate(`${seed}-leaf`, publicKeyPem, variant.scope, parent.fingerprint);
  await stores.certificates.put(parent);
  await stores.certificates.put(leaf);
  const verifier = new ActionVerifier({
    ...stores,
    stream,
    clock,
    config: {},
  });
  const { p50, p99, samples, calls } = await timeVerifications(
    verifier,
    envelopes(leaf, pair.privateKey, SAMPLES + 5),
    counter,
  );
  const result: LatencyResult = {
    bench: `verify-latency ${variant.label}`,
    delay_ms: DELAY_MS,
    samples,
    p50_ms: round(p50),
    p99_ms: round(p99),
    p50_x_delay: round(p50 / DELAY_MS),
    p99_x_delay: round(p99 / DELAY_MS),
    target_p50_x_delay: variant.target,
    round_trip_p50_ms: round(roundTrip),
    p50_x_round_trip: round(p50 / roundTrip),
    p99_x_round_trip: round(p99 / roundTrip),
    aws_requests_per_verification: round(calls),
  };
  return result;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'verify-latency',
    async run() {
      const emulators = await startEmulators();
      try {
        const counter = { n: 0 };
        delayed(emulators.doc, counter);
        delayed(emulators.kinesis, counter);
        const stores = createDynamoStores(emulators.doc, emulators.tableNames, clock, {
          monitoringTable: emulators.monitoringTable,
        });
        await stores.agents.create({
          tenantId: TENANT,
          id: AGENT,
          name: 'bench',
          metadata: {},
          mode: 'enforce',
          warningThreshold: 0.75,
          anomalyThreshold: 0.85,
          status: 'active',
          createdAt: Date.now(),
        });
        const stream = new KinesisActionStream(emulators.kinesis, emulators.streamName);
        const results: LatencyResult[] = [];
        for (let i = 0; i < VARIANTS.length; i += 1) {
          const roundTrip = await roundTripP50(emulators);
          results.push(await measure(stores, stream, counter, i, roundTrip));
        }
        return results;
      } finally {
        await emulators.stop();
      }
    },
  },
];
