/**
 * The locked baseline of docs/api.md §6 (`PUT /v1/agents/{id}/baseline`) and the backtest's agent config (§9): ONE
 * schema, so the route and the command accept exactly the same bodies and lock exactly the same figures. In zod/mini,
 * as the route schemas are (bundle size).
 */
import * as z from 'zod/mini';
import type { LockedBaseline } from './types.js';

const amount = z.number().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
const hour = z.number().check(z.int(), z.minimum(0), z.maximum(24));

export const lockedBaselineSchema = z
  .strictObject({
    // null figures are accepted and mean "no figure": the stats of an agent without amounts answer null quantiles,
    // and the guide's code copies them into the baseline as they are (then no transaction size is locked).
    transaction_size: z.optional(
      z.strictObject({ p50: z.nullable(amount), p99: z.nullable(amount) }).check(
        z.refine((v) => v.p50 === null || v.p99 === null || v.p99 >= v.p50, {
          message: 'p99 must be ≥ p50',
          path: ['p99'],
        }),
        // Both or neither: one figure without the other would be dropped silently (the size needs both).
        z.refine((v) => v.p50 !== null || v.p99 === null, { message: 'p50 is null but p99 is not', path: ['p50'] }),
        z.refine((v) => v.p99 !== null || v.p50 === null, { message: 'p99 is null but p50 is not', path: ['p99'] }),
      ),
    ),
    transactions_per_hour: z.optional(z.strictObject({ p95: amount })),
    preferred_counterparties: z.optional(
      z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.maxLength(100)),
    ),
    active_hours: z.optional(
      z
        .array(z.tuple([hour, hour]).check(z.refine(([start, end]) => start !== end, { message: 'an empty period' })))
        .check(z.maxLength(24)),
    ),
  })
  // A lock replaces the previous one: a body whose every figure is null or empty would answer `locked: true` while
  // replacing the reference with nothing (the scorer reads null sizes and empty lists as "no figure").
  .check(z.refine(locksAFigure, { message: 'give at least one baseline figure (not null, not empty)' }));

export type LockedBaselineBody = z.infer<typeof lockedBaselineSchema>;

function locksAFigure(v: LockedBaselineBody): boolean {
  return (
    (v.transaction_size !== undefined && v.transaction_size.p50 !== null) ||
    v.transactions_per_hour !== undefined ||
    (v.preferred_counterparties?.length ?? 0) > 0 ||
    (v.active_hours?.length ?? 0) > 0
  );
}

/** The figures a validated body locks: a null transaction size locks none. */
export function lockedFigures(body: LockedBaselineBody): LockedBaseline {
  const { transaction_size: size, ...rest } = body;
  return size === undefined || size.p50 === null || size.p99 === null
    ? rest
    : { ...rest, transaction_size: { p50: size.p50, p99: size.p99 } };
}

const threshold = z.number().check(z.minimum(0), z.maximum(1));

/** `kakunin backtest --config agent.json`: the agent's mode, thresholds and optional locked baseline. */
export const backtestConfigSchema = z
  .strictObject({
    mode: z.optional(z.enum(['observe', 'enforce'])),
    warningThreshold: z.optional(threshold),
    anomalyThreshold: z.optional(threshold),
    baseline: z.optional(lockedBaselineSchema),
  })
  .check(
    z.refine((c) => (c.warningThreshold ?? 0.75) <= (c.anomalyThreshold ?? 0.85), {
      message: 'warningThreshold must not exceed anomalyThreshold',
      path: ['warningThreshold'],
    }),
  );

export type BacktestConfig = z.infer<typeof backtestConfigSchema>;
