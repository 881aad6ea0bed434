/**
 * The signed-action envelope of docs/api.md §4, parsed from untrusted input, and the bytes its signature
 * covers: the UTF-8 RFC 8785 form of `{payload, certificateFingerprint, timestamp, nonce}`.
 */
import canonicalize from 'canonicalize';
import * as z from 'zod';
import { FINGERPRINT_PATTERN } from '../crypto/fingerprint.js';
import { invalidInput, KakuninError } from '../errors.js';
import { AMOUNT_BOUNDS_RULE, isCountableAmount } from '../scope/amount-bounds.js';
import type { ActionPayload, SignedEnvelope, UnsignedEnvelope } from '../types.js';
import { decodeStrictBase64 } from './base64.js';
import { canonicalBytes } from './canonical.js';
import { copyJsonPayload } from './json-payload.js';

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/** Base64 of a 4096-bit RSA signature is 684 characters. */
export const MAX_SIGNATURE_LENGTH = 1_024;

export const payloadSchema = z.looseObject({
  action: z.string(),
  // On the grid the service's velocity counters hold exactly (amount-bounds.ts): the service refuses anything else.
  amount: z.number().refine(isCountableAmount, AMOUNT_BOUNDS_RULE).optional(),
  currency: z.string().optional(),
  counterparty: z.string().optional(),
  region: z.string().optional(),
});

const envelopeSchema = z.strictObject({
  payload: payloadSchema,
  certificateFingerprint: z.string().regex(FINGERPRINT_PATTERN, 'must be sha256: followed by 64 lowercase hex digits'),
  timestamp: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  nonce: z.string().regex(NONCE_PATTERN, 'must be 16-128 characters of [A-Za-z0-9_-]'),
  signature: z.string().min(1).max(MAX_SIGNATURE_LENGTH),
});

export interface ParsedEnvelope {
  envelope: SignedEnvelope;
  /** The decoded signature (DER ECDSA or PKCS#1 v1.5 RSA). */
  signatureBytes: Uint8Array;
}

/** A zod path as the contract's `field` (`payload.action`, `payload.items[2]`). */
export function fieldPath(path: readonly PropertyKey[]): string | undefined {
  let field = '';
  for (const key of path) field += typeof key === 'number' ? `[${key}]` : `${field === '' ? '' : '.'}${String(key)}`;
  return field === '' ? undefined : field;
}

function firstIssueError(error: z.ZodError): KakuninError {
  const issue = error.issues[0];
  if (issue === undefined) return invalidInput('envelope is invalid');
  if (issue.code === 'unrecognized_keys')
    return invalidInput('unknown field', fieldPath([...issue.path, issue.keys[0] ?? '']));
  const field = fieldPath(issue.path);
  return invalidInput(`${field ?? 'envelope'}: ${issue.message}`, field);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates a payload as the verifier will, so the SDK never signs what the service refuses. */
export function parsePayload(input: unknown): ActionPayload {
  const copy = copyJsonPayload(input, 'payload');
  const result = payloadSchema.safeParse(copy);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = fieldPath(['payload', ...(issue?.path ?? [])]);
    throw invalidInput(`${field}: ${issue?.message ?? 'invalid'}`, field);
  }
  return copy as ActionPayload;
}

const ENVELOPE_KEYS = ['payload', 'certificateFingerprint', 'timestamp', 'nonce', 'signature'] as const;
const optional = (value: unknown, type: 'string' | 'number'): boolean => value === undefined || typeof value === type;

/**
 * The verifier's hot path: the same constraints as `envelopeSchema` and `payloadSchema`, checked by hand, for an
 * envelope that satisfies them all. Anything else returns undefined and goes through zod, which then decides and
 * names the field, so this can only ever accept what the schema accepts.
 */
function parseValidEnvelope(input: Record<string, unknown>): ParsedEnvelope | undefined {
  const keys = Object.keys(input);
  if (keys.length !== ENVELOPE_KEYS.length || !ENVELOPE_KEYS.every((key) => Object.hasOwn(input, key)))
    return undefined;
  const { payload: rawPayload, certificateFingerprint, timestamp, nonce, signature } = input;
  if (!isRecord(rawPayload)) return undefined;
  if (typeof certificateFingerprint !== 'string' || !FINGERPRINT_PATTERN.test(certificateFingerprint)) return undefined;
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) return undefined;
  if (typeof nonce !== 'string' || !NONCE_PATTERN.test(nonce)) return undefined;
  if (typeof signature !== 'string' || signature.length > MAX_SIGNATURE_LENGTH) return undefined;
  const signatureBytes = decodeStrictBase64(signature);
  if (signatureBytes === undefined) return undefined;
  const payload = copyJsonPayload(rawPayload) as Record<string, unknown>;
  if (typeof payload.action !== 'string' || !optional(payload.amount, 'number')) return undefined;
  if (payload.amount !== undefined && !isCountableAmount(payload.amount as number)) return undefined;
  if (!optional(payload.currency, 'string') || !optional(payload.counterparty, 'string')) return undefined;
  if (!optional(payload.region, 'string')) return undefined;
  return {
    envelope: { payload: payload as ActionPayload, certificateFingerprint, timestamp, nonce, signature },
    signatureBytes,
  };
}

/** Parses an untrusted envelope and decodes its signature; throws KakuninError INVALID_REQUEST with `field`. */
export function parseSignedEnvelope(input: unknown): ParsedEnvelope {
  if (!isRecord(input)) throw invalidInput('envelope must be a JSON object');
  if (Object.getPrototypeOf(input) === Object.prototype) {
    const fast = parseValidEnvelope({ ...input });
    if (fast !== undefined) return fast;
  }
  const raw: Record<string, unknown> = { ...input };
  if (isRecord(raw.payload)) raw.payload = copyJsonPayload(raw.payload);
  const result = envelopeSchema.safeParse(raw);
  if (!result.success) throw firstIssueError(result.error);
  const { certificateFingerprint, timestamp, nonce, signature } = result.data;
  const signatureBytes = decodeStrictBase64(signature);
  if (signatureBytes === undefined) throw invalidInput('signature must be canonical standard base64', 'signature');
  const payload = raw.payload as ActionPayload;
  return { envelope: { payload, certificateFingerprint, timestamp, nonce, signature }, signatureBytes };
}

const UTF8 = new TextEncoder();

/**
 * The bytes the signature covers: UTF-8 JCS of the four signed fields (never `signature`, never extras).
 * When the top-level fields have the contract's shapes (fingerprint and nonce are ASCII by their patterns, the
 * timestamp a safe integer) the object around the payload is written directly: JCS orders these four keys exactly so
 * and writes such strings and integers as JSON.stringify does; the payload itself always goes through `canonicalize`.
 * This saves most of the canonicalisation cost on the verifier's hot path; any other input takes the general path.
 */
export function signedBytes(envelope: UnsignedEnvelope): Uint8Array {
  const { payload, certificateFingerprint, timestamp, nonce } = envelope;
  try {
    if (
      typeof certificateFingerprint === 'string' &&
      FINGERPRINT_PATTERN.test(certificateFingerprint) &&
      typeof nonce === 'string' &&
      NONCE_PATTERN.test(nonce) &&
      Number.isSafeInteger(timestamp) &&
      typeof payload === 'object' &&
      payload !== null
    ) {
      const body = canonicalize(payload);
      if (body === undefined) throw new TypeError('payload has no JSON representation');
      return UTF8.encode(
        `{"certificateFingerprint":"${certificateFingerprint}","nonce":"${nonce}","payload":${body},"timestamp":${timestamp}}`,
      );
    }
    return canonicalBytes({ payload, certificateFingerprint, timestamp, nonce });
  } catch (error) {
    throw new KakuninError('INVALID_REQUEST', 'envelope cannot be canonicalised', {
      status: 400,
      field: 'payload',
      cause: error,
    });
  }
}
