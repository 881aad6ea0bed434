/**
 * The locked baseline of docs/api.md §6 (`PUT /v1/agents/{id}/baseline`) and the backtest's agent config (§9), as zod
 * schemas, so the route and the command validate the same way.
 */
import * as z from 'zod';

const positive = z.number().check(z.positive(), z.lte(Number.MAX_SAFE_INTEGER));
const hour = z.number().int().min(0).max(24);

export const lockedBaselineSchema = z.strictObject({
  transaction_size: z.optional(
    z
      .strictObject({ p50: positive, p99: positive })
      .check(z.refine((t) => t.p99 >= t.p50, { message: 'p99 must be at least p50', path: ['p99'] })),
  ),
  transactions_per_hour: z.optional(z.strictObject({ p95: z.number().min(0).max(1e9) })),
  preferred_counterparties: z.optional(z.array(z.string().min(1).max(256)).max(100)),
  active_hours: z.optional(
    z
      .array(
        z.tuple([hour, hour]).check(z.refine(([a, b]) => a !== b, { message: 'a period needs two different hours' })),
      )
      .max(24),
  ),
});

const threshold = z.number().min(0).max(1);

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
