import type { AgentStats, CounterpartyShare } from './api-types.js';

/**
 * Adds the two conveniences the product guide uses on a §6 stats answer, without changing its JSON form:
 * `counterparty_distribution.top(n)` (names of the n largest counterparties) and `frequency.p95` (= per_hour.p95).
 * Both are non-enumerable, so `JSON.stringify(stats)` is exactly the service's answer.
 */
export function withStatsHelpers(raw: unknown): AgentStats {
  const stats = raw as AgentStats;
  const distribution: CounterpartyShare[] = Array.isArray(stats.counterparty_distribution)
    ? stats.counterparty_distribution
    : [];
  Object.defineProperty(distribution, 'top', {
    enumerable: false,
    value: (n: number): string[] =>
      [...distribution]
        .sort((a, b) => b.count - a.count)
        .slice(0, Math.max(0, Math.floor(n)))
        .map((entry) => entry.counterparty),
  });
  stats.counterparty_distribution = distribution as AgentStats['counterparty_distribution'];
  if (stats.frequency !== undefined && typeof stats.frequency === 'object') {
    Object.defineProperty(stats.frequency, 'p95', { enumerable: false, get: () => stats.frequency.per_hour?.p95 });
  }
  return stats;
}
