/** One sentence per signal for the `detail` of a contribution (docs/api.md §6), built from its observed/baseline. */
import type { SignalName } from './params.js';
import type { Evidence } from './state.js';

const fmt = (v: number | string): string =>
  typeof v === 'number' ? String(Number(v.toPrecision(Math.abs(v) >= 100 ? 6 : 3))) : JSON.stringify(v);

export function describeSignal(signal: SignalName, e: Evidence, s: number): string {
  const o = fmt(e.observed);
  const b = fmt(e.baseline);
  const odds = `about 1 in ${fmt(Math.round(10 ** Math.min(s, 6)))}`;
  switch (signal) {
    case 'rate_1m':
    case 'rate_10m':
    case 'rate_1h': {
      const span = signal === 'rate_1m' ? 'minute' : signal === 'rate_10m' ? '10 minutes' : 'hour';
      return `${o} other actions in the last ${span} (exponentially weighted) where this agent usually has ${b}: ${odds}`;
    }
    case 'rate_locked_p95': {
      const ratio = typeof e.observed === 'number' && typeof e.baseline === 'number' && e.baseline > 0;
      const times = ratio ? ` (${fmt((e.observed as number) / (e.baseline as number))}× the locked p95)` : '';
      return `${o} actions in the last hour${times}; locked baseline p95 ${b} per hour`;
    }
    case 'amount':
      return `amount ${o} against a reference p99 of ${b}: ${odds}`;
    case 'counterparty_novelty':
      return `counterparty ${o} is not among the agent's known counterparties (${b} tracked)`;
    case 'off_hours':
      return `action at ${o}:00 UTC, outside the agent's usual hours (${b})`;
    case 'origin_new':
      return `certificate used from ${o}, an origin it has not established (known: ${b})`;
    case 'origin_travel':
      return `same certificate used from ${o} and from ${b} within minutes`;
    case 'sequence':
      return `unusual sequence of actions ending with ${o} (cumulative surprise ${fmt(s)}; usual next action ${b})`;
    case 'counterparty_spread':
      return `${o} distinct counterparties or resources in a short span where this agent usually has ${b}: ${odds}`;
    case 'drift':
      return `gradual upward drift (Page-Hinkley on daily aggregates): ${e.observed} against a reference of ${e.baseline}; warns, never revokes alone`;
  }
}
