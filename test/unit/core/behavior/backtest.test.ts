import { describe, expect, it } from 'vitest';
import { BacktestInputError, type BacktestLine, runBacktest } from '../../../../src/core/behavior/backtest.js';
import { calmTraffic, DAY } from './traffic.js';

function toLines(days: number): string[] {
  return calmTraffic(days).map((a) =>
    JSON.stringify({ agentId: a.agentId, timestamp: a.at, payload: a.payload, origin: a.origin }),
  );
}

function run(lines: string[], config = {}): BacktestLine[] {
  const out: BacktestLine[] = [];
  runBacktest(lines, config, (l) => out.push(l));
  return out;
}

describe('backtest (docs/api.md §9)', () => {
  it('prints one result per input action, with the contract fields, deterministically', () => {
    const lines = toLines(8);
    const burstStart = JSON.parse(lines[lines.length - 1]!).timestamp + 3_600_000;
    for (let k = 0; k < 30; k += 1) {
      lines.push(
        JSON.stringify({
          agentId: 'a_0123456789abcdef',
          timestamp: burstStart + k * 6_000,
          payload: { action: 'charge', amount: 9_900, currency: 'EUR', counterparty: 'stripe' },
        }),
      );
    }
    const first = run(lines);
    expect(first).toHaveLength(lines.length);
    expect(first.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(Object.keys(first[0]!).sort()).toEqual(
      ['agentId', 'band', 'contributions', 'score', 'seq', 'wouldRevoke', 'wouldWarn'].sort(),
    );
    expect(first.filter((l) => l.wouldWarn)).toHaveLength(1);
    expect(first.some((l) => l.wouldRevoke)).toBe(true);
    expect(JSON.stringify(run(lines))).toBe(JSON.stringify(first));
  });

  it('observe mode never would-revoke; a locked baseline is the reference', () => {
    const lines = toLines(8);
    const t = JSON.parse(lines[lines.length - 1]!).timestamp + DAY;
    for (let k = 0; k < 30; k += 1) {
      lines.push(
        JSON.stringify({
          agentId: 'a_0123456789abcdef',
          timestamp: t + k * 6_000,
          payload: { action: 'charge', amount: 9_900 },
        }),
      );
    }
    expect(run(lines, { mode: 'observe' }).some((l) => l.wouldRevoke)).toBe(false);
    const locked = run(lines, {
      baseline: { transactions_per_hour: { p95: 8 }, transaction_size: { p50: 100, p99: 400 } },
    });
    const last = locked[locked.length - 1]!;
    expect(last.contributions.map((c) => c.signal)).toEqual(expect.arrayContaining(['rate_locked_p95', 'amount']));
    const rate = last.contributions.find((c) => c.signal === 'rate_locked_p95')!;
    expect(rate.baseline).toBe(8);
    expect(rate.detail).toMatch(/× the locked p95/);
  });

  it('names the first bad line and prints nothing', () => {
    const lines = toLines(1).slice(0, 5);
    const bad = [
      ...lines.slice(0, 2),
      '{"agentId":"a_x","timestamp":"yesterday","payload":{"action":"charge"}}',
      ...lines,
    ];
    const out: BacktestLine[] = [];
    expect(() => runBacktest(bad, {}, (l) => out.push(l))).toThrow(
      new BacktestInputError('line 3: timestamp: Invalid input: expected number, received string'),
    );
    expect(out).toHaveLength(0);
    expect(() => run(['not json'])).toThrow(/^line 1: not JSON/);
    expect(() => run(['{"agentId":"a","timestamp":1,"payload":{"action":"x"},"extra":1}'])).toThrow(
      'line 1: extra: unknown field',
    );
    expect(() => run(['{"agentId":"a","timestamp":1,"payload":{}}'])).toThrow(/^line 1: payload\.action: /);
  });

  it('skips blank lines but keeps seq as the line number', () => {
    const [a, b] = toLines(1);
    expect(run([a!, '', b!]).map((l) => l.seq)).toEqual([1, 3]);
  });
});
