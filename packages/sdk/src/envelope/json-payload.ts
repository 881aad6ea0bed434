/**
 * Copies an untrusted payload into a fresh tree of plain JSON values, refusing anything the signer and the verifier
 * could see differently. The copy is what gets canonicalised, checked, audited and streamed, so a caller that mutates
 * its object after handing it over (or passes getters, class instances, `toJSON`) cannot make the checked payload
 * differ from the signed one. The SDK signs this same copy (the rules of docs/api.md §4), so a signer and the service
 * never see a payload differently: one definition, which src/core/envelope/json-payload.ts re-exports.
 */
import { invalidInput } from '../errors.js';

/** Deep enough for any real action payload; shallow enough that canonicalisation can never exhaust the stack. */
export const MAX_PAYLOAD_DEPTH = 32;
/** Bounds the work one envelope can cause (the HTTP edge caps bodies at 64 KiB as well). */
export const MAX_PAYLOAD_NODES = 10_000;

/** Matches an unpaired UTF-16 surrogate, which has no UTF-8 form and which RFC 8785 refuses. */
const LONE_SURROGATE = /\p{Cs}/u;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

interface Budget {
  nodes: number;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;
}

function copyValue(value: unknown, path: string, depth: number, budget: Budget): JsonValue {
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
    const copy: JsonValue[] = [];
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      if (item === undefined) throw invalidInput('arrays may not hold undefined', childPath(path, index));
      copy.push(copyValue(item, childPath(path, index), depth + 1, budget));
    }
    return copy;
  }
  if (!isPlainObject(value)) throw invalidInput('value is not a plain JSON object', path);
  const copy: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value)) {
    // An own "__proto__" key survives JSON.parse but turns into a prototype in any consumer that copies with
    // `target[key] = value`: refuse it rather than hand downstream code a prototype-pollution gadget.
    if (key === '__proto__') throw invalidInput('the key "__proto__" is not allowed', childPath(path, key));
    if (LONE_SURROGATE.test(key)) throw invalidInput('key contains an unpaired surrogate', path);
    const item: unknown = value[key];
    // Absent and undefined are the same to JSON and to RFC 8785: drop it, as the canonical form does.
    if (item === undefined) continue;
    copy[key] = copyValue(item, childPath(path, key), depth + 1, budget);
  }
  return copy;
}

/**
 * A validated deep copy of `value` as plain JSON. Throws KakuninError INVALID_REQUEST with `field` = the JSON path
 * (rooted at `path`) of the first offending value.
 */
export function copyJsonPayload(value: unknown, path = 'payload'): JsonValue {
  return copyValue(value, path, 0, { nodes: 0 });
}
