/**
 * When a failed webhook delivery is tried again (docs/events.md, "Delivery"). Exponential, capped, with jitter so a
 * receiver coming back from an outage is not hit by every retry at once; the attempts span more than 24 h (contract
 * §5: none is dropped silently; after the last attempt the delivery is a dead letter, replayable).
 */

/** Delay before attempt n+1 after attempt n failed (index n-1), before jitter. Sum ≈ 39.7 h (≥ 31.7 h with the
 * smallest jitter). */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  30_000,
  2 * 60_000,
  10 * 60_000,
  30 * 60_000,
  60 * 60_000,
  2 * 3_600_000,
  4 * 3_600_000,
  8 * 3_600_000,
  12 * 3_600_000,
  12 * 3_600_000,
];

/** Attempts in total: the first and one per retry delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/**
 * The delay after failed attempt `attempt` (1-based), with ±20 % jitter from `unit` in [0, 1); undefined once the
 * attempts are used up (→ dead letter).
 */
export function retryDelayMs(attempt: number, unit: number): number | undefined {
  const base = RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (0.8 + 0.4 * Math.min(Math.max(unit, 0), 1)));
}

/** Smallest total time from the first attempt to the dead letter, jitter included: must stay above 24 h. */
export const MIN_RETRY_SPAN_MS = RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay * 0.8, 0);
