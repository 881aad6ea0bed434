import { describe, expect, it } from 'vitest';
import { createBehaviorEngine } from '../../../../src/core/behavior/index.js';
import { action, DAY, ENFORCE, HOUR, T0 } from './traffic.js';

const engine = createBehaviorEngine();

describe('stats (docs/api.md §6)', () => {
  const state = engine.create('a_0123456789abcdef', T0);
  // Two days: 10 actions an hour from 09:00 to 12:00 UTC, amounts 1..30, three counterparties (2:1:… split).
  let n = 0;
  for (let d = 0; d < 2; d += 1) {
    for (let h = 9; h < 12; h += 1) {
      for (let k = 0; k < 10; k += 1) {
        n += 1;
        const counterparty = n % 3 === 0 ? 'wise' : n % 2 === 0 ? 'adyen' : 'stripe';
        engine.apply(
          state,
          action(`s${n}`, T0 + d * DAY + h * HOUR + k * 300_000, { amount: (n % 30) + 1, counterparty }),
          ENFORCE,
        );
      }
    }
  }
  const now = T0 + DAY + 23 * HOUR;

  it('counts exactly, per window', () => {
    expect(engine.stats(state, '1h', now).count).toBe(0);
    expect(engine.stats(state, '24h', now).count).toBe(30);
    const week = engine.stats(state, '7d', now);
    expect(week.window).toBe('7d');
    expect(week.count).toBe(60);
    expect(week.hour_of_day.counts.reduce((a, b) => a + b, 0)).toBe(60);
    expect(week.hour_of_day.counts[9]).toBe(20);
    expect(week.hour_of_day.activePeriods).toEqual([[9, 12]]);
    expect(week.frequency.per_hour.max).toBe(10);
    expect(week.frequency.per_hour.p50).toBe(0); // most hours of two days are empty
    expect(week.transaction_size.max).toBe(30);
  });

  it('gives sketched amount quantiles within the sketch accuracy and the counterparties largest first', () => {
    const week = engine.stats(state, '7d', now);
    expect(week.transaction_size.p50).toBeGreaterThan(15.5 * 0.9);
    expect(week.transaction_size.p50).toBeLessThan(15.5 * 1.1);
    expect(week.transaction_size.p99!).toBeLessThanOrEqual(30 * 1.05);
    const counts = week.counterparty_distribution.map((c) => c.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60);
    expect(week.counterparty_distribution.reduce((a, c) => a + c.share, 0)).toBeCloseTo(1, 3);
  });

  it('refuses a window outside 1h..30d', () => {
    for (const bad of ['0h', '31d', '721h', '7w', '', '1.5h', '-1d']) {
      expect(() => engine.stats(state, bad, now)).toThrow(RangeError);
    }
    expect(engine.stats(state, '30d', now).count).toBe(60);
    expect(engine.stats(state, '720h', now).count).toBe(60);
  });

  it('reports null amount figures when the window holds no amounts', () => {
    const empty = engine.create('a_0123456789abcdef', T0);
    engine.apply(empty, action('x1', T0 + HOUR, { amount: undefined }), ENFORCE);
    const s = engine.stats(empty, '24h', T0 + 2 * HOUR);
    expect(s.count).toBe(1);
    expect(s.transaction_size).toEqual({ p50: null, p95: null, p99: null, max: null });
  });
});
