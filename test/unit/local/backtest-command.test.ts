import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockedBaselineSchema } from '../../../src/core/behavior/baseline-schema.js';
import { baselineSchema } from '../../../src/http/monitoring-schemas.js';
import { runBacktestCommand } from '../../../src/local/backtest-command.js';
import { UsageError } from '../../../src/local/cli-args.js';

async function run(argv: string[], input: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runBacktestCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, [input]);
  return { code, lines: out.join('\n').split('\n').filter(Boolean), err };
}

const line = (t: number, amount = 100) =>
  JSON.stringify({ agentId: 'a_0123456789abcdef', timestamp: t, payload: { action: 'charge', amount } });

describe('kakunin backtest', () => {
  it('reads JSON Lines from stdin and prints one JSON line each', async () => {
    const input = `${[line(1_000), line(2_000), line(3_000)].join('\n')}\n`;
    const { code, lines } = await run([], input);
    expect(code).toBe(0);
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual([1, 2, 3]);
  });

  it('takes mode, thresholds and a locked baseline from --config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kakunin-backtest-'));
    const config = join(dir, 'agent.json');
    writeFileSync(
      config,
      JSON.stringify({
        mode: 'observe',
        warningThreshold: 0.5,
        anomalyThreshold: 0.6,
        baseline: { transactions_per_hour: { p95: 1 } },
      }),
    );
    const input = Array.from({ length: 40 }, (_, k) => line(1_000 + k * 5_000)).join('\n');
    const { lines } = await run(['--config', config], input);
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.some((l) => l.wouldWarn)).toBe(true);
    expect(parsed.some((l) => l.wouldRevoke)).toBe(false);
  });

  it('refuses a bad config or flag as a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kakunin-backtest-'));
    const config = join(dir, 'agent.json');
    writeFileSync(config, JSON.stringify({ mode: 'panic' }));
    await expect(run(['--config', config], '')).rejects.toThrow(UsageError);
    await expect(run(['--config', join(dir, 'missing.json')], '')).rejects.toThrow(/cannot read/);
    await expect(run(['--bogus'], '')).rejects.toThrow(UsageError);
  });

  it('accepts and refuses exactly the baseline bodies the route does (one schema)', async () => {
    expect(baselineSchema).toBe(lockedBaselineSchema);
    const dir = mkdtempSync(join(tmpdir(), 'kakunin-backtest-'));
    const config = join(dir, 'agent.json');
    const withBaseline = async (baseline: unknown) => {
      writeFileSync(config, JSON.stringify({ baseline }));
      return run(['--config', config], `${line(1_000)}\n`);
    };
    // The stats of an agent without amounts answer null quantiles; copied into a lock they lock no size.
    expect((await withBaseline({ transaction_size: { p50: null, p99: null }, active_hours: [[8, 18]] })).code).toBe(0);
    await expect(withBaseline({ transaction_size: { p50: null, p99: null } })).rejects.toThrow(/at least one baseline/);
    await expect(withBaseline({ transaction_size: { p50: 5, p99: null } })).rejects.toThrow(/p99 is null/);
    await expect(withBaseline({ transaction_size: { p50: 9, p99: 5 } })).rejects.toThrow(/p99 must be ≥ p50/);
    await expect(withBaseline({ preferred_counterparties: ['x'.repeat(129)] })).rejects.toThrow(UsageError);
  });

  it('stops on a bad line, naming it', async () => {
    await expect(run([], `${line(1)}\n{"agentId":1}\n`)).rejects.toThrow(/^line 2: agentId: /);
  });
});
