/**
 * The amounts the service's velocity counters hold exactly (docs/api.md §3–§4, "Amount bounds"). One definition for the
 * service (src/core/scope/amount-bounds.ts re-exports it) and the SDK, so the SDK never signs, and the offline verifier
 * never passes, an amount the service refuses.
 *
 * The day's volume is a DynamoDB number: at most 38 significant decimal digits, added in decimal. A running sum of
 * amounts must therefore fit in 38 digits exactly, whatever amounts come: a limit of 1e30 with an amount of
 * 0.123456789 needs 40, and an amount of 1e-200 or 5e-324 leaves DynamoDB's range (those answered 503 and burned the
 * nonce). So every amount and every amount limit lies on one grid: below 10^20, with at most 18 decimal places in its
 * shortest decimal form. Any sum that stays ≤ a limit then has at most 20 + 18 = 38 digits, and `limit − amount` too.
 */
import { formatDecimal } from './decimal.js';

/** Exclusive upper bound of an amount or amount limit. */
export const AMOUNT_UPPER_BOUND = 1e20;
/** Most decimal places an amount or amount limit may have. */
export const AMOUNT_MAX_DECIMALS = 18;
/** Largest double below {@link AMOUNT_UPPER_BOUND} (an integer, so it lies on the grid). */
const LARGEST_ON_GRID = 99_999_999_999_999_980_000;

/** Human-readable rule, used in error messages. */
export const AMOUNT_BOUNDS_RULE = `an amount is below 1e20 with at most ${AMOUNT_MAX_DECIMALS} decimal places`;

/** Whether |value| lies on the grid the counters hold exactly (the sign is the scope check's business). */
export function isCountableAmount(value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const magnitude = Math.abs(value);
  if (magnitude >= AMOUNT_UPPER_BOUND) return false;
  const fraction = formatDecimal(magnitude).split('.')[1] ?? '';
  return fraction.length <= AMOUNT_MAX_DECIMALS;
}

/**
 * The day limit a counter may enforce for a certificate issued before these bounds existed: a limit at or above 10^20
 * is enforced as the largest value on the grid (no bounded amount sum could tell them apart except by exceeding
 * 10^20, and stopping there only refuses more: fail closed). A limit with too many decimals cannot be enforced
 * exactly: undefined, and the caller refuses the spend.
 */
export function enforceableDayLimit(limit: number): number | undefined {
  if (!(limit >= 0)) return undefined;
  if (limit >= AMOUNT_UPPER_BOUND) return LARGEST_ON_GRID;
  return isCountableAmount(limit) ? limit : undefined;
}
