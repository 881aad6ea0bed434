/**
 * Startup time of `kakunin dev` (spawned exactly as a user runs it) until `/health` answers 200:
 * cold (a new data directory: emulator tables, root and issuing CA keys, admin key) and warm (the same directory
 * again). Baseline: spawning `node -e 0`, so the ratio says how many bare Node starts one server start costs.
 * `ops_per_sec` is starts per second (1000 / median ms); `median_ms` is the number to read.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newAdminKey, startDevProcess } from '../test/integration/local/dev-process.js';
import { type Benchmark, type BenchResult, result } from './harness.js';

const RUNS = 3;

type StartupResult = BenchResult & { median_ms: number; runs_ms: number[] };

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function startOnce(dataDir: string): Promise<number> {
  const dev = await startDevProcess({ dataDir, adminKey: newAdminKey(), timeoutMs: 60_000 });
  const exit = await dev.stop('SIGTERM');
  if (exit !== 0) throw new Error(`kakunin dev exited ${exit}`);
  return dev.startupMs;
}

function nodeBaselineMs(): number {
  const runs: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    runs.push(performance.now() - started);
  }
  return median(runs);
}

function startupResult(bench: string, runs: number[], baselineMs: number): StartupResult {
  const ms = median(runs);
  return {
    ...result(bench, 1_000 / ms, 'spawn node -e 0', 1_000 / baselineMs),
    median_ms: Math.round(ms),
    runs_ms: runs.map(Math.round),
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'kakunin dev startup',
    async run() {
      const baselineMs = nodeBaselineMs();
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const dataDir = mkdtempSync(join(tmpdir(), 'kakunin-bench-startup-'));
        try {
          cold.push(await startOnce(dataDir));
          warm.push(await startOnce(dataDir));
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
      return [
        startupResult('kakunin dev cold start to healthy /health', cold, baselineMs),
        startupResult('kakunin dev warm start to healthy /health', warm, baselineMs),
      ];
    },
  },
];
