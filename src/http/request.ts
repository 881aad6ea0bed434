/**
 * Reading untrusted request input: body size, JSON syntax, nesting depth, and schema validation. Every failure is a
 * KakuninError with a contract code, so no malformed input can reach a handler or surface as a 5xx.
 */

import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from 'zod/v4/core';
import { safeParse } from 'zod/v4/core';
import { parseJsonStrict } from '../core/envelope/strict-json.js';
import { invalidRequest, KakuninError } from '../core/errors.js';

/** Contract §1. */
export const MAX_BODY_BYTES = 64 * 1024;
/**
 * Deeper JSON is refused before parsing: recursive consumers (canonicalisation, structured clone, stringify) would
 * otherwise overflow the stack on hostile nesting. No legitimate body of this API nests anywhere near this deep.
 */
export const MAX_JSON_DEPTH = 32;

function rawBody(event: APIGatewayProxyEvent): string | undefined {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) {
    throw new KakuninError('PAYLOAD_TOO_LARGE', `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
  }
  return body;
}

function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth -= 1;
  }
  return max;
}

/** The parsed JSON body; undefined when there is none. */
export function readJsonBody(event: APIGatewayProxyEvent): unknown {
  const body = rawBody(event);
  if (body === undefined) return undefined;
  if (nestingDepth(body) > MAX_JSON_DEPTH) throw invalidRequest(`JSON nesting deeper than ${MAX_JSON_DEPTH} levels`);
  // Duplicate keys are refused, not resolved last-wins as JSON.parse would: a downstream parser that keeps the first
  // `amount` must never see a different action from the one verified here (RFC 8785 §3.1, RFC 7493).
  return parseJsonStrict(body);
}

/**
 * The `field` of an issue: its path, and for an unknown field (zod reports those on the enclosing object) the path of
 * the first unknown key, so `{"scope": {"maxTxSize": 1}}` names `scope.maxTxSize`.
 */
function issueField(issue: z.$ZodIssue | undefined): string | undefined {
  if (issue === undefined) return undefined;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  return path.length === 0 ? undefined : path.join('.');
}

/** Validates `input` against any zod schema (classic or mini); the first issue becomes INVALID_REQUEST with `field`. */
export function parseWith<S extends z.$ZodType>(schema: S, input: unknown): z.output<S> {
  const result = safeParse(schema, input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw invalidRequest(issue?.message ?? 'invalid request', issueField(issue));
}

/** Body validated against `schema`; a missing body is validated as `{}` so required fields are named. */
export function parseBody<S extends z.$ZodType>(event: APIGatewayProxyEvent, schema: S): z.output<S> {
  const body = readJsonBody(event);
  return parseWith(schema, body === undefined ? {} : body);
}

export function parseQuery<S extends z.$ZodType>(event: APIGatewayProxyEvent, schema: S): z.output<S> {
  return parseWith(schema, event.queryStringParameters ?? {});
}
