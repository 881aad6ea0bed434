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

/** The route and `kakunin backtest` share one baseline schema (core/behavior/baseline-schema.ts). */
export { lockedBaselineSchema as baselineSchema, lockedFigures } from '../core/behavior/baseline-schema.js';

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
