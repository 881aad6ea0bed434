/**
 * Query schemas of the audit routes (docs/api.md §7). Times are RFC 3339 or epoch milliseconds; an unknown `type` is
 * refused (400 INVALID_REQUEST on `type`), like every unknown enum value.
 */
import * as z from 'zod/mini';
import type { AuditType } from '../core/model.js';

export const AUDIT_TYPES = [
  'action.verified',
  'action.rejected',
  'action.signed',
  'certificate.issued',
  'certificate.revoked',
  'key.minted',
  'agent.created',
  'agent.updated',
  'agent.suspended',
  'agent.reactivated',
  'agent.settings_changed',
  'api_key.created',
  'baseline.locked',
  'webhook.created',
  'webhook.deleted',
  'webhook.replayed',
] as const satisfies readonly AuditType[];

/**
 * Compile-time: every type the ledger can hold is a type the listing can filter for (`webhook.deleted` and
 * `webhook.replayed` were written but refused as "unknown" by `?type=`).
 */
export const AUDIT_TYPES_COMPLETE: [Exclude<AuditType, (typeof AUDIT_TYPES)[number]>] extends [never] ? true : never =
  true;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch ms of an RFC 3339 time, or undefined. Each field is checked first: Date.parse rolls impossible dates over
 * (`2026-02-30` is read as March 2, `T24:00` as the next day), which would shift a filter silently.
 */
export function rfc3339Ms(value: string): number | undefined {
  const m = RFC3339.exec(value);
  if (m === null) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** RFC 3339 or epoch ms → epoch ms. */
const time = z.pipe(
  z.string().check(
    z.refine((value) => /^\d{1,15}$/.test(value) || rfc3339Ms(value) !== undefined, {
      message: 'expected an RFC 3339 time or epoch milliseconds',
    }),
  ),
  z.transform((value) => (/^\d+$/.test(value) ? Number(value) : (rfc3339Ms(value) as number))),
);

const count = (min: number) =>
  z
    .pipe(z.string().check(z.regex(/^\d{1,15}$/, 'expected a non-negative integer')), z.transform(Number))
    .check(z.refine((n) => n >= min, { message: `must be at least ${min}` }));

export const auditListQuerySchema = z.strictObject({
  actorId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  type: z.optional(z.enum(AUDIT_TYPES)),
  from: z.optional(time),
  to: z.optional(time),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000)), 100),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
});

export const auditExportQuerySchema = z.strictObject({
  from: z.optional(time),
  to: z.optional(time),
  /** Continue an export that stopped at its size cap after this seq. */
  afterSeq: z.optional(count(0)),
});

export const proofQuerySchema = z.strictObject({ treeSize: z.optional(count(1)) });

export const consistencyQuerySchema = z.strictObject({ from: count(1), to: count(1) });
