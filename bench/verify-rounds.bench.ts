/**
 * The verify path's round-trip structure alone: the in-memory ports, each call answered after exactly DELAY ms (no
 * emulator behind it, so no service time), verifications one at a time. p50 / DELAY is then the number of sequential
 * port rounds plus the in-process work (targets ≤ 2.2 without velocity limits, ≤ 3.2 with them; issue 9). The
 * emulator-backed figure, where dynalite's and kinesalite's own time per request adds to every round, is
 * `verify-latency` beside it. `npm run bench verify-rounds`.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { memoryPorts } from '../src/adapters/memory/memory-ports.js';
import { ActionVerifier } from '../src/core/verification/action-verifier.js';
import type { Benchmark } from './harness.js';
import {
  AGENT,
  certificate,
  DELAY_MS,
  envelopes,
  round,
  SAMPLES,
  TENANT,
  timeVerifications,
  VARIANTS,
} from './verify-latency.bench.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same port, every method answering DELAY ms after it was called (as a network round trip would). */
function remote<T extends object>(port: T, counter: { n: number }): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        counter.n += 1;
        const answer = await value.apply(target, args);
        await sleep(DELAY_MS);
        return answer;
      };
    },
  });
}

async function measure(index: number) {
  const variant = VARIANTS[index]!;
  const ports = memoryPorts({ clock: { now: () => Date.now() } });
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyPem = pair.publicKey.export({ format: 'pem', type: 'spki' }) as string;
  await ports.agents.create({
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
  const seed = randomBytes(8).toString('hex');
  const parent = certificate(`${seed}-parent`, publicKeyPem, variant.scope);
  const leaf = certificate(`${seed}-leaf`, publicKeyPem, variant.scope, parent.fingerprint);
  await ports.certificates.put(parent);
  await ports.certificates.put(leaf);
  const counter = { n: 0 };
  const verifier = new ActionVerifier({
    certificates: remote(ports.certificates, counter),
    agents: remote(ports.agents, counter),
    nonces: remote(ports.nonces, counter),
    velocity: remote(ports.velocity, counter),
    ledger: remote(ports.ledger, counter),
    stream: remote(ports.stream, counter),
    clock: ports.clock,
    config: {},
  });
  const { p50, p99, samples, calls } = await timeVerifications(
    verifier,
    envelopes(leaf, pair.privateKey, SAMPLES + 5),
    counter,
  );
  return {
    bench: `verify-rounds ${variant.label}`,
    delay_ms: DELAY_MS,
    samples,
    p50_ms: round(p50),
    p99_ms: round(p99),
    p50_x_delay: round(p50 / DELAY_MS),
    p99_x_delay: round(p99 / DELAY_MS),
    target_p50_x_delay: variant.target,
    port_calls_per_verification: round(calls),
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'verify-rounds',
    run: async () => {
      const results = [];
      for (let i = 0; i < VARIANTS.length; i += 1) results.push(await measure(i));
      return results;
    },
  },
];
