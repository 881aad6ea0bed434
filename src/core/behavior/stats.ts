/**
 * docs/api.md §6 stats body from the state. Exact: count, max amount, per-hour frequency and hour-of-day counts
 * (30 days of hourly counts and 31 days of daily totals are kept exactly). Sketched: amount quantiles (DDSketch, ±5 %
 * relative error, over the baseline's last one to two weeks whatever the window) and the counterparty distribution
 * (space-saving top-K over the agent's life; counts may overestimate by at most the count of the entry they replaced).
 */
import { mergedQuantile } from './amount-sketch.js';
import { DAY_MS, HOUR_MS } from './context.js';
import { activePeriods } from './event-signals.js';
import type { BehaviorParams } from './params.js';
import { type AgentState, HOURLY_SLOTS } from './state.js';
import type { BehaviorStats } from './types.js';

const WINDOW = /^([1-9]\d{0,2})([hd])$/;

/** Window text (`1h`…`30d`) → hours; RangeError outside that range. */
export function windowHours(window: string): number {
  const m = WINDOW.exec(window);
  if (!m) throw new RangeError(`window must look like 1h, 24h or 7d (1h to 30d), got "${window}"`);
  const hours = Number(m[1]) * (m[2] === 'd' ? 24 : 1);
  if (hours < 1 || hours > 720) throw new RangeError(`window must be between 1h and 30d, got "${window}"`);
  return hours;
}

export function computeStats(state: AgentState, window: string, now: number, params: BehaviorParams): BehaviorStats {
  const hours = windowHours(window);
  const nowHour = Math.floor(now / HOUR_MS);
  // Hours the agent existed in, within the window (an agent created yesterday has no zero hours last week).
  const firstHour = Math.max(nowHour - hours + 1, Math.floor(state.createdAt / HOUR_MS));
  const perHour: number[] = [];
  const hourOfDay = new Array<number>(24).fill(0);
  for (let h = firstHour; h <= nowHour; h += 1) {
    const inRing = state.hourlyHead >= 0 && h <= state.hourlyHead && h > state.hourlyHead - HOURLY_SLOTS;
    const c = inRing ? state.hourly[h % HOURLY_SLOTS]! : 0;
    perHour.push(c);
    hourOfDay[h % 24] = hourOfDay[h % 24]! + c;
  }
  const count = perHour.reduce((a, b) => a + b, 0);
  const sorted = [...perHour].sort((a, b) => a - b);
  const fromDay = Math.floor((now - hours * HOUR_MS) / DAY_MS);
  const days = state.days.filter((d) => d.day >= fromDay && d.day <= Math.floor(now / DAY_MS));
  const amounts = days.reduce((a, d) => a + d.amounts, 0);
  const quantile = (q: number) => {
    const v = mergedQuantile(state.sketches, q, params.sketchAccuracy, params.sketchBins);
    return v === null || amounts === 0 ? null : Number(v.toPrecision(6));
  };
  const tracked = [...state.counterparties.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  const trackedTotal = tracked.reduce((a, [, e]) => a + e.count, 0);
  return {
    window,
    count,
    transaction_size: {
      p50: quantile(0.5),
      p95: quantile(0.95),
      p99: quantile(0.99),
      max: amounts === 0 ? null : Math.max(...days.map((d) => d.maxAmount)),
    },
    frequency: {
      per_hour: {
        p50: nearestRank(sorted, 0.5),
        p95: nearestRank(sorted, 0.95),
        max: sorted.length ? sorted[sorted.length - 1]! : 0,
      },
    },
    counterparty_distribution: tracked.map(([counterparty, e]) => ({
      counterparty,
      count: e.count,
      share: trackedTotal ? Math.round((e.count / trackedTotal) * 10_000) / 10_000 : 0,
    })),
    hour_of_day: { counts: hourOfDay, activePeriods: activePeriods(hourOfDay) },
  };
}

function nearestRank(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
