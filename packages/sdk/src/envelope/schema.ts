/**
 * The signed-action envelope of contract §4 (docs/api.md §4), parsed from untrusted input, and the bytes its signature
 * covers: the UTF-8 RFC 8785 form of `{payload, certificateFingerprint, timestamp, nonce}`.
 */
import * as z from 'zod';
import { FINGERPRINT_PATTERN } from '../crypto/fingerprint.js';
import { invalidInput, KakuninError } from '../errors.js';
import type { ActionPayload, SignedEnvelope, UnsignedEnvelope } from '../types.js';
import { decodeStrictBase64 } from './base64.js';
import { canonicalBytes } from './canonical.js';
import { copyJsonPayload } from './json-payload.js';

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/** Base64 of a 4096-bit RSA signature is 684 characters. */
export const MAX_SIGNATURE_LENGTH = 1_024;

export const payloadSchema = z.looseObject({
  action: z.string(),
  amount: z.number().optional(),
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

/** Parses an untrusted envelope and decodes its signature; throws KakuninError INVALID_REQUEST with `field`. */
export function parseSignedEnvelope(input: unknown): ParsedEnvelope {
  if (!isRecord(input)) throw invalidInput('envelope must be a JSON object');
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

/** The bytes the signature covers: UTF-8 JCS of the four signed fields (never `signature`, never extras). */
export function signedBytes(envelope: UnsignedEnvelope): Uint8Array {
  const { payload, certificateFingerprint, timestamp, nonce } = envelope;
  try {
    return canonicalBytes({ payload, certificateFingerprint, timestamp, nonce });
  } catch (error) {
    throw new KakuninError('INVALID_REQUEST', 'envelope cannot be canonicalised', {
      status: 400,
      field: 'payload',
      cause: error,
    });
  }
}
