/**
 * The signed-action envelope of docs/api.md §4, parsed from untrusted input, and the bytes its signature covers.
 *
 * The signature covers every field but itself: `signedBytes` is the UTF-8 RFC 8785 (JCS) form of
 * `{payload, certificateFingerprint, timestamp, nonce}`. Signing only the payload (as the seed guide did) would let
 * anyone replay a captured action under a fresh nonce and timestamp.
 */
import * as z from 'zod';
import { canonicalObjectString, freezeJson } from '../canonical-json.js';
import { FINGERPRINT_PATTERN } from '../crypto/fingerprint.js';
import { invalidRequest, KakuninError } from '../errors.js';
import type { ActionPayload, SignedEnvelope, UnsignedEnvelope } from '../model.js';
import { AMOUNT_BOUNDS_RULE, isCountableAmount } from '../scope/amount-bounds.js';
import { decodeStrictBase64 } from './base64.js';
import { copyJsonPayload } from './json-payload.js';

const UTF8 = new TextEncoder();

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/** Base64 of a 4096-bit RSA signature is 684 characters; anything much longer is not a signature we can verify. */
export const MAX_SIGNATURE_LENGTH = 1_024;

/** `action` is required; the other fields are the caller's, but the ones scope checks read must have their types. */
export const payloadSchema = z.looseObject({
  action: z.string(),
  // On the grid the velocity counters hold exactly, so no amount can make a counter write fail (amount-bounds.ts).
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

/** Renders a zod path as the contract's `field` (`payload.action`, `payload.items[2]`). */
export function fieldPath(path: readonly PropertyKey[]): string | undefined {
  let field = '';
  for (const key of path) {
    field += typeof key === 'number' ? `[${key}]` : `${field === '' ? '' : '.'}${String(key)}`;
  }
  return field === '' ? undefined : field;
}

function firstIssueError(error: z.ZodError): KakuninError {
  const issue = error.issues[0];
  if (issue === undefined) return invalidRequest('envelope is invalid');
  if (issue.code === 'unrecognized_keys') {
    const field = fieldPath([...issue.path, issue.keys[0] ?? '']);
    return invalidRequest('unknown field', field);
  }
  const field = fieldPath(issue.path);
  return invalidRequest(`${field ?? 'envelope'}: ${issue.message}`, field);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a payload the way the envelope does; used by the signer so it never signs what the verifier refuses. */
export function parsePayload(input: unknown, path = 'payload'): ActionPayload {
  if (input === undefined) throw invalidRequest(`${path} is required`, path);
  const copy = copyJsonPayload(input, path);
  const result = payloadSchema.safeParse(copy);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = fieldPath([path, ...(issue?.path ?? [])]);
    throw invalidRequest(`${field}: ${issue?.message ?? 'invalid'}`, field);
  }
  // The validated copy itself, not zod's output: it is exactly the tree that was checked and will be canonicalised.
  return copy as ActionPayload;
}

/**
 * Parses an untrusted envelope and decodes its signature. Throws KakuninError INVALID_REQUEST with `field` set to the
 * JSON path of the first problem.
 */
export function parseSignedEnvelope(input: unknown): ParsedEnvelope {
  if (!isRecord(input)) throw invalidRequest('envelope must be a JSON object');
  // Read every field once, so getters or a concurrent mutation cannot change what was checked.
  const raw: Record<string, unknown> = { ...input };
  if (isRecord(raw.payload)) raw.payload = copyJsonPayload(raw.payload);
  const result = envelopeSchema.safeParse(raw);
  if (!result.success) throw firstIssueError(result.error);
  const { certificateFingerprint, timestamp, nonce, signature } = result.data;
  const signatureBytes = decodeStrictBase64(signature);
  if (signatureBytes === undefined) throw invalidRequest('signature must be canonical standard base64', 'signature');
  // Our own copy, frozen: what was checked can no longer change, and its canonical text is computed once for the
  // signature and reused by the audit entry that holds it (canonical-json.ts).
  const payload = freezeJson(raw.payload as ActionPayload);
  return { envelope: { payload, certificateFingerprint, timestamp, nonce, signature }, signatureBytes };
}

/** Parses an untrusted envelope (see `parseSignedEnvelope`). */
export function parseEnvelope(input: unknown): SignedEnvelope {
  return parseSignedEnvelope(input).envelope;
}

/**
 * The bytes the signature covers: UTF-8 JCS of the envelope without `signature`. Built from the four named fields
 * only, so a SignedEnvelope passed in by mistake still yields the right bytes.
 */
export function signedBytes(envelope: UnsignedEnvelope): Uint8Array {
  const { payload, certificateFingerprint, timestamp, nonce } = envelope;
  try {
    return UTF8.encode(canonicalObjectString({ payload, certificateFingerprint, timestamp, nonce }));
  } catch (error) {
    // canonicalize refuses NaN, ±Infinity, lone surrogates and cycles: input errors, never a 500.
    throw new KakuninError('INVALID_REQUEST', 'envelope cannot be canonicalised', { field: 'payload', cause: error });
  }
}
