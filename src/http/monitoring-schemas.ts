/**
 * Request schemas of the monitoring routes (docs/api.md §5, §6), strict like the others (src/http/schemas.ts) and in
 * zod/mini for the same bundle-size reason.
 */
import * as z from 'zod/mini';
import type { EventType } from '../core/model.js';

export const EVENT_TYPES = [
  'certificate.issued',
  'agent.pre_revocation_warning',
  'agent.certificate_revoked',
] as const satisfies readonly EventType[];

/** `1h`…`720h` or `1d`…`30d` (docs/api.md §6: `1h`…`30d`); the number of hours it spans. */
export function windowHours(window: string): number | undefined {
  const match = /^([1-9][0-9]{0,2})([hd])$/.exec(window);
  if (match === null) return undefined;
  const hours = Number(match[1]) * (match[2] === 'd' ? 24 : 1);
  return hours >= 1 && hours <= 720 ? hours : undefined;
}

export const statsQuerySchema = z.object({
  window: z._default(
    z
      .string()
      .check(z.refine((value) => windowHours(value) !== undefined, { message: 'window is 1h…30d, e.g. 24h or 7d' })),
    '7d',
  ),
});

const amount = z.number().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
const hour = z.number().check(z.int(), z.minimum(0), z.maximum(24));

export const baselineSchema = z
  .strictObject({
    // null figures are accepted and mean "no figure": the stats of an agent without amounts answer null quantiles,
    // and the guide's code copies them into the baseline as they are (the route then locks no transaction size).
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

function locksAFigure(v: {
  transaction_size?: { p50: number | null } | undefined;
  transactions_per_hour?: unknown;
  preferred_counterparties?: unknown[] | undefined;
  active_hours?: unknown[] | undefined;
}): boolean {
  return (
    (v.transaction_size !== undefined && v.transaction_size.p50 !== null) ||
    v.transactions_per_hour !== undefined ||
    (v.preferred_counterparties?.length ?? 0) > 0 ||
    (v.active_hours?.length ?? 0) > 0
  );
}

export const createWebhookSchema = z.strictObject({
  url: z.string().check(z.minLength(1), z.maxLength(2048)),
  eventTypes: z.optional(
    z
      .array(z.enum(EVENT_TYPES))
      .check(z.refine((types) => new Set(types).size === types.length, { message: 'event types repeat' })),
  ),
});

export const WEBHOOK_ID_PATTERN = /^wh_[0-9a-z]{20}$/;

/**
 * Webhooks one tenant may hold (docs/api.md §5). Every event fans out into one delivery per matching webhook, each
 * retried up to 12 times on the shared dispatcher, and every dispatch reads the tenant's whole list: without a bound,
 * one tenant's thousands of webhooks would multiply its events into work that delays everyone else's deliveries.
 */
export const MAX_WEBHOOKS_PER_TENANT = 20;
