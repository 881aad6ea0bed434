/**
 * Behaviour engine: scoring throughput on one core, as a ratio to a plain JSON.parse of the same events in the same
 * run (the consumer parses every record anyway), and the bytes of encoded state per agent after 30 simulated days.
 * The events come from the attack simulator's clean traffic (bench/simulate), so they are realistic and repeatable.
 */
import { createBehaviorEngine } from '../src/core/behavior/index.js';
import type { Benchmark, BenchResult } from './harness.js';
import { result } from './harness.js';
import { CleanAgent, drawProfile, EPOCH, type SimAction } from './simulate/clean-traffic.js';
import { Random } from './simulate/random.js';

const SETTINGS = { mode: 'enforce' as const, warningThreshold: 0.75, anomalyThreshold: 0.85 };
const AGENTS = 40;
const DAYS = 30;

function traffic(): SimAction[][] {
  return Array.from({ length: AGENTS }, (_, i) => {
    const rnd = new Random(7_000 + i);
    const agent = new CleanAgent(drawProfile(rnd, i), rnd);
    return Array.from({ length: DAYS }, (_, d) => agent.day(d)).flat();
  });
}

function timed(run: () => number): number {
  const started = performance.now();
  const n = run();
  return n / ((performance.now() - started) / 1_000);
}

export const benchmarks: Benchmark[] = [
  {
    name: 'behaviour engine',
    async run(): Promise<BenchResult[]> {
      const engine = createBehaviorEngine();
      const perAgent = traffic();
      const lines = perAgent.map((events) => events.map((e) => JSON.stringify(e)));
      const total = lines.reduce((a, l) => a + l.length, 0);
      // Warm-up pass (JIT), then the measured passes over the same events.
      const score = () => {
        let n = 0;
        for (const events of perAgent) {
          const state = engine.create(events[0]!.agentId, EPOCH);
          for (const e of events) {
            engine.apply(state, e, SETTINGS);
            n += 1;
          }
        }
        return n;
      };
      const parse = () => {
        let n = 0;
        for (const agentLines of lines) for (const l of agentLines) n += JSON.parse(l) ? 1 : 0;
        return n;
      };
      score();
      parse();
      const scoring = Math.max(timed(score), timed(score));
      const parsing = Math.max(timed(parse), timed(parse));
      const sizes = perAgent.map((events) => {
        const state = engine.create(events[0]!.agentId, EPOCH);
        for (const e of events) engine.apply(state, e, SETTINGS);
        return engine.encode(state).length;
      });
      sizes.sort((a, b) => a - b);
      process.stderr.write(
        `behaviour: ${total} events; state after ${DAYS} days: median ${sizes[sizes.length >> 1]} B, max ${sizes[sizes.length - 1]} B\n`,
      );
      return [
        result('behaviour apply (events/s, 1 core)', scoring, 'JSON.parse of the same events', parsing),
        result(
          `behaviour state bytes after ${DAYS} days (max of ${AGENTS} agents)`,
          sizes[sizes.length - 1]!,
          'the 4 KiB target',
          4096,
        ),
      ];
    },
  },
];
