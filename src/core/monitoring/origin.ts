/**
 * Where an action came from (docs/api.md §4 "Where the action came from"): sent by a verifier that saw the agent's
 * request, NOT covered by the signature. It is therefore only ever used as a hint for behavioural monitoring and as
 * an audited fact about the verifier's report, never to grant anything. Bounded so a hostile verifier cannot bloat the
 * audit entry, the stream record or the per-agent state.
 */
import * as z from 'zod';
import { invalidRequest, KakuninError } from '../errors.js';
import type { ActionOrigin } from '../model.js';

/** A user agent longer than this is truncated by no one: it is refused (a real one is well under 512 characters). */
export const MAX_USER_AGENT_LENGTH = 512;
export const MAX_ORIGIN_REGION_LENGTH = 64;

export const originSchema = z.strictObject({
  ip: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' }).optional(),
  userAgent: z
    .string()
    .min(1)
    .max(MAX_USER_AGENT_LENGTH)
    // Control characters would let a verifier forge log lines wherever the origin is shown.
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    .optional(),
  region: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, `must be 1-${MAX_ORIGIN_REGION_LENGTH} characters of [A-Za-z0-9_.-]`)
    .optional(),
});

const wrappedSchema = z.strictObject({ envelope: z.unknown(), origin: originSchema.optional() });

export interface VerifyRequestBody {
  envelope: unknown;
  origin?: ActionOrigin;
}

/**
 * Splits a verify body into the envelope and the optional origin. A body with an own `envelope` field is the wrapped
 * form `{"envelope", "origin"?}`; anything else is a bare envelope (a bare envelope never has an `envelope` field:
 * its schema is strict). Errors in the wrapped form name their path (`origin.ip`).
 */
export function splitVerifyBody(body: unknown): VerifyRequestBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !Object.hasOwn(body, 'envelope')) {
    return { envelope: body };
  }
  const parsed = wrappedSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String) ?? [];
    if (issue?.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
    throw invalidRequest(issue?.message ?? 'invalid request', path.length === 0 ? undefined : path.join('.'));
  }
  const { envelope, origin } = parsed.data;
  return origin === undefined || Object.keys(origin).length === 0
    ? { envelope }
    : { envelope, origin: compact(origin) };
}

/** Field errors of the inner envelope are re-rooted under `envelope.` so the caller can find them. */
export function underEnvelope(error: unknown): unknown {
  if (!(error instanceof KakuninError) || error.code !== 'INVALID_REQUEST') return error;
  return invalidRequest(error.message, error.field === undefined ? 'envelope' : `envelope.${error.field}`);
}

function compact(origin: z.output<typeof originSchema>): ActionOrigin {
  const out: ActionOrigin = {};
  if (origin.ip !== undefined) out.ip = origin.ip;
  if (origin.userAgent !== undefined) out.userAgent = origin.userAgent;
  if (origin.region !== undefined) out.region = origin.region;
  return out;
}
