/**
 * The full verification pipeline (ActionVerifier) on the DynamoDB stores against dynalite, versus dynalite's bare
 * conditional PutItem rate (`bareConditionalPutRate`, bench/dynalite.bench.ts) measured in the same run, with the
 * same concurrency (8). Target ratio ≥ 0.5 (issue 3). `npx tsx bench/run.ts pipeline-dynalite`.
 *
 * Setup: dynalite embedded in this process (startEmulators); certificates, agent, nonces, velocity counters and the
 * hash-chained ledger are the real DynamoDB adapters. The ActionStream is an in-memory sink and the RiskReader the
 * in-memory fake (no DynamoDB behind either yet). One tenant, one agent, an ECDSA P-256 leaf certificate under a
 * parent (so revocation checks one ancestor), records created directly. Every op verifies a fresh envelope with a
 * fresh nonce; envelopes are pre-signed up front, so signing is not measured.
 *
 * Variants: the one-read hot path (`readVerificationState` + cached immutable facts) on a leaf under a parent without
 * velocity limits, and the velocity pipeline (docs/adr/0005) with every certificate of the chain declaring limits, at
 * depth 1 (a lone certificate: one counter) and depth 3 (root → middle → leaf: three counters, reserved root first).
 * Each result's name carries the DynamoDB requests per verification, counted by a client middleware: one at a time
 * (a separate pass) and during the measured concurrent run, where concurrent verifications share state reads and
 * ledger blocks (never answers: see verification-state.ts and ledger.ts). The baseline is measured right before and
 * right after each variant and averaged. `BENCH_MIN_MS` overrides the 3 s per measurement.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoStores, type DynamoStores } from '../src/adapters/aws/dynamo/index.js';
import { startEmulators } from '../src/adapters/local/emulators.js';
import { signedBytes } from '../src/core/envelope/schema.js';
import type { CertificateRecord, Scope, SignedEnvelope } from '../src/core/model.js';
import { ActionVerifier } from '../src/core/verification/action-verifier.js';
import type { Clock } from '../src/ports.js';
import { scopedCertificatePem } from '../test/support/scoped-certificate.js';
import { bareConditionalPutRate, DYNALITE_CONCURRENCY } from './dynalite.bench.js';
import { type Benchmark, type BenchResult, opsPerSecond, result } from './harness.js';

const TENANT = 't_bench_dynalite';
const AGENT = 'a_benchdynalite00000';
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 3_000);
/** Enough fresh envelopes for warm-up, the round-trip count and 3 s at well over 1,000 verifications/s. */
const POOL_SIZE = 6_000;
const COUNTED = 40;
const BASELINE = 'dynalite bare conditional PutItem';
const clock: Clock = { now: () => Date.now() };

interface Variant {
  label: string;
  scope: Scope;
  /** Certificates in the chain, the leaf included. */
  depth: number;
}

const BASE_SCOPE: Scope = { currency: 'EUR', maxTransactionSize: 1_000_000, allowedActions: ['charge', 'refund'] };
const LIMITED: Scope = { ...BASE_SCOPE, maxTransactionsPerHour: 1_000_000_000, maxDailyVolume: 1_000_000_000_000 };
const VARIANTS: Variant[] = [
  { label: 'one state read, depth 2, no velocity limits', scope: BASE_SCOPE, depth: 2 },
  { label: 'velocity limits at depth 1', scope: LIMITED, depth: 1 },
  { label: 'velocity limits at depth 3', scope: LIMITED, depth: 3 },
];

/** Counts every DynamoDB request the document client sends while `counting` is on. */
function roundTripCounter(doc: DynamoDBDocumentClient) {
  const counts = new Map<string, number>();
  let counting = false;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (counting) counts.set(context.commandName ?? '?', (counts.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchRoundTripCounter' },
  );
  return {
    /** Runs `task` with counting on; returns DynamoDB requests per verification (total and by operation). */
    async during<T>(task: () => Promise<T>, verifications: () => number): Promise<{ result: T; trips: Trips }> {
      counts.clear();
      const before = verifications();
      counting = true;
      const result = await task();
      counting = false;
      const done = verifications() - before;
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const round = (n: number) => Number((n / done).toFixed(2));
      const detail = [...counts].map(([name, n]) => `${name.replace('Command', '')} ${round(n)}`).join(', ');
      return { result, trips: { perOp: round(total), detail } };
    },
  };
}

interface Trips {
  perOp: number;
  detail: string;
}

function certificate(
  fingerprintSeed: string,
  publicKeyPem: string,
  scope: Scope,
  parent?: CertificateRecord,
): CertificateRecord {
  const now = Date.now();
  return {
    tenantId: TENANT,
    fingerprint: `sha256:${createHash('sha256').update(fingerprintSeed).digest('hex')}`,
    serialNumber: randomBytes(16).toString('hex'),
    agentId: AGENT,
    pem: scopedCertificatePem(scope),
    publicKeyPem,
    publicKeyAlgorithm: 'ECDSA_P256',
    scope,
    notBefore: now - 86_400_000,
    notAfter: now + 86_400_000,
    ancestors: parent === undefined ? [] : [...parent.ancestors, parent.fingerprint],
    ...(parent === undefined ? {} : { parentFingerprint: parent.fingerprint }),
    status: 'active',
    createdAt: now,
  };
}

/** Pre-signs `count` envelopes for `leaf`, each with its own nonce (timestamps stay inside the ±300 s window). */
function signPool(leaf: CertificateRecord, privateKey: KeyObject, count: number): SignedEnvelope[] {
  const run = randomBytes(6).toString('hex');
  return Array.from({ length: count }, (_, i) => {
    const unsigned = {
      payload: { action: 'charge', amount: 42.5, currency: 'EUR', counterparty: 'stripe', invoice: `inv-${i}` },
      certificateFingerprint: leaf.fingerprint,
      timestamp: Date.now(),
      nonce: `bench_${run}_${i.toString().padStart(8, '0')}`,
    };
    const signature = sign('sha256', signedBytes(unsigned), { key: privateKey, dsaEncoding: 'der' });
    return { ...unsigned, signature: signature.toString('base64') };
  });
}

async function setUp(stores: DynamoStores, variant: Variant, index: number) {
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyPem = pair.publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const seed = `${randomBytes(8).toString('hex')}-${index}`;
  let leaf: CertificateRecord | undefined;
  for (let level = 0; level < variant.depth; level += 1) {
    leaf = certificate(`${seed}-${level}`, publicKeyPem, variant.scope, leaf);
    await stores.certificates.put(leaf);
  }
  if (leaf === undefined) throw new Error('a chain has at least one certificate');
  const verifier = new ActionVerifier({
    certificates: stores.certificates,
    agents: stores.agents,
    nonces: stores.nonces,
    velocity: stores.velocity,
    ledger: stores.ledger,
    stream: { publish: async () => {} },
    clock,
    config: {},
  });
  const pool = signPool(leaf, pair.privateKey, POOL_SIZE);
  let next = 0;
  const verified = () => next;
  const verifyNext = async (): Promise<void> => {
    const envelope = pool[next++];
    if (envelope === undefined) throw new Error('pre-signed envelope pool exhausted: raise POOL_SIZE');
    const outcome = await verifier.verify(TENANT, envelope);
    if (!outcome.verified) throw new Error(`bench envelope rejected: ${outcome.error.code}`);
  };
  return { verifyNext, verified };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'pipeline-dynalite',
    async run(): Promise<BenchResult[]> {
      const emulators = await startEmulators();
      try {
        const { doc, tableNames } = emulators;
        const stores = createDynamoStores(doc, tableNames, clock, { monitoringTable: emulators.monitoringTable });
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
        const counter = roundTripCounter(doc);
        const options = { concurrency: DYNALITE_CONCURRENCY, minMs: MIN_MS };
        const bare = () => bareConditionalPutRate(doc, tableNames.counters, options);
        const results: BenchResult[] = [];
        for (const [index, variant] of VARIANTS.entries()) {
          const { verifyNext, verified } = await setUp(stores, variant, index);
          await verifyNext(); // cold: fills the facts cache and the ledger head
          const sequential = async () => {
            for (let i = 0; i < COUNTED; i += 1) await verifyNext();
          };
          const { trips: alone } = await counter.during(sequential, verified);
          // The baseline brackets each variant (before and after, averaged), so drifting machine load biases no ratio.
          const bareBefore = await bare();
          const { result: ops, trips: concurrent } = await counter.during(
            () => opsPerSecond(verifyNext, options),
            verified,
          );
          const baseline = (bareBefore + (await bare())) / 2;
          results.push(
            result(
              `pipeline-dynalite ECDSA P-256, ${variant.label}: DynamoDB requests/verification ${alone.perOp} alone ` +
                `(${alone.detail}), ${concurrent.perOp} at concurrency ${DYNALITE_CONCURRENCY} (${concurrent.detail})`,
              ops,
              BASELINE,
              baseline,
            ),
          );
        }
        return results;
      } finally {
        await emulators.stop();
      }
    },
  },
];
