/**
 * Copies a payload into a fresh tree of plain JSON values, refusing what a signer and a verifier could see
 * differently (the same rules as the service, docs/api.md §4): non-finite numbers, lone surrogates, non-plain objects,
 * `__proto__` keys, depth > 32, more than 10,000 values. What is signed is this copy, so a caller mutating its object
 * afterwards cannot make the signed payload differ from the one sent.
 */
import { invalidInput } from '../errors.js';

export const MAX_PAYLOAD_DEPTH = 32;
export const MAX_PAYLOAD_NODES = 10_000;

const LONE_SURROGATE = /\p{Cs}/u;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const childPath = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;

function copyValue(value: unknown, path: string, depth: number, budget: { nodes: number }): JsonValue {
  budget.nodes += 1;
  if (budget.nodes > MAX_PAYLOAD_NODES) throw invalidInput('payload has too many values', 'payload');
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidInput('numbers must be finite', path);
    return value;
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw invalidInput('string contains an unpaired surrogate', path);
    return value;
  }
  if (typeof value !== 'object') throw invalidInput('value is not JSON', path);
  if (depth >= MAX_PAYLOAD_DEPTH) throw invalidInput(`payload is nested deeper than ${MAX_PAYLOAD_DEPTH}`, path);
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) => {
      if (item === undefined) throw invalidInput('arrays may not hold undefined', childPath(path, index));
      return copyValue(item, childPath(path, index), depth + 1, budget);
    });
  }
  if (!isPlainObject(value)) throw invalidInput('value is not a plain JSON object', path);
  const copy: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') throw invalidInput('the key "__proto__" is not allowed', childPath(path, key));
    if (LONE_SURROGATE.test(key)) throw invalidInput('key contains an unpaired surrogate', path);
    const item: unknown = value[key];
    if (item === undefined) continue; // absent and undefined are the same to JSON and RFC 8785
    copy[key] = copyValue(item, childPath(path, key), depth + 1, budget);
  }
  return copy;
}

/** A validated deep copy of `value`; throws KakuninError INVALID_REQUEST with `field` = the first bad path. */
export function copyJsonPayload(value: unknown, path = 'payload'): JsonValue {
  return copyValue(value, path, 0, { nodes: 0 });
}
