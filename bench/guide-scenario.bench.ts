/**
 * The guide's behavioural scenario in local mode (test/integration/local/guide-scenario.ts), timed: real milliseconds
 * from the answer to the verification whose score reached the anomaly threshold to (a) the certificate being revoked
 * as `GET /v1/certificates/{fp}` shows it (polled every 10 ms) and (b) the warning webhook arriving. Target ≤ 2 s
 * (contract §6, local mode). Baseline: one `GET /health` round trip on the same server in the same run, so the ratio
 * (health ms / detection ms) says how many plain requests the detection takes, inverted. `ops_per_sec` = 1000 / median
 * ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGuideScenario } from '../test/integration/local/guide-scenario.js';
import { type Benchmark, type BenchResult, result } from './harness.js';

const RUNS = 3;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export const benchmarks: Benchmark[] = [
  {
    name: 'guide scenario: threshold-crossing verification to visible revocation',
    async run() {
      const revoked: number[] = [];
      const warned: number[] = [];
      const before: number[] = [];
      const health: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const dataDir = mkdtempSync(join(tmpdir(), 'kakunin-bench-guide-'));
        try {
          const outcome = await runGuideScenario({ dataDir });
          if (outcome.target.crossingToRevokedMs === undefined) throw new Error('no revocation observed');
          revoked.push(outcome.target.crossingToRevokedMs);
          if (outcome.target.crossingToWarningMs !== undefined) warned.push(outcome.target.crossingToWarningMs);
          before.push(outcome.target.verifiedBeforeRefusal);
          health.push(outcome.healthRoundTripMs);
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
      const ms = median(revoked);
      const line: BenchResult & Record<string, unknown> = {
        ...result(
          'crossing verification → revocation visible (local)',
          1_000 / ms,
          'GET /health',
          1_000 / median(health),
        ),
        target_ms: 2_000,
        median_ms: Math.round(ms),
        runs_ms: revoked.map(Math.round),
        warning_webhook_runs_ms: warned.map(Math.round),
        charges_verified_before_refusal: before,
      };
      return [line];
    },
  },
];
