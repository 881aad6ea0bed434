/**
 * RFC 8785 (JCS) canonical JSON, by the maintained `canonicalize` library.
 *
 * The verifier canonicalises an envelope's payload for the signature and the audit entry holding that payload right
 * after; `freezeJson` lets the second reuse the first's text. A value deep-frozen by `freezeJson` can never change,
 * so its JCS text is computed once and remembered (keyed by identity, weakly); values not frozen here are always
 * canonicalised afresh, so a caller's mutable object can never be served a stale text.
 */
import canonicalize from 'canonicalize';

/** Stateless, so one instance serves every call (constructing one per call cost as much as the encoding). */
const UTF8 = new TextEncoder();

/** In `u` mode a surrogate pair is one code point; only an unpaired half matches the surrogate category. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Objects deep-frozen by `freezeJson`: null until their text is first asked for. */
const frozenTexts = new WeakMap<object, string | null>();

/** UTF-8 bytes of the JCS form of `value`. Throws on values JSON cannot represent (undefined at top, NaN, ∞). */
export function canonicalBytes(value: unknown): Uint8Array {
  return UTF8.encode(canonicalString(value));
}

export function canonicalString(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    const known = frozenTexts.get(value);
    if (typeof known === 'string') return known;
    if (known === null) {
      const text = jcs(value);
      frozenTexts.set(value, text);
      return text;
    }
  }
  return jcs(value);
}

/**
 * The JCS text of a plain object whose members are canonicalised one by one (`canonicalString`, so a member frozen
 * by `freezeJson` costs a lookup). Exactly `canonicalString(fields)`: members sorted by UTF-16 code units, undefined
 * and symbol members left out, as the library does.
 */
export function canonicalObjectString(fields: Readonly<Record<string, unknown>>): string {
  let members = '';
  for (const key of Object.keys(fields).sort()) {
    const value = fields[key];
    if (value === undefined || typeof value === 'symbol') continue;
    members += `${members === '' ? '' : ','}${jcs(key)}:${canonicalString(value)}`;
  }
  return `{${members}}`;
}

/**
 * Deep-freezes a JSON value built by the caller, so its canonical text can be remembered. Each object is marked
 * before its children are visited, so a cycle (which JCS then refuses) ends the walk instead of recursing for ever.
 */
export function freezeJson<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !frozenTexts.has(value)) {
    frozenTexts.set(value, null);
    for (const child of Object.values(value)) freezeJson(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Scalars directly (their JCS form is JSON.stringify's, once lone surrogates and non-finite numbers are refused, as
 * the library does), everything else through the library. The library allocates a cycle-tracking Set on every call,
 * which for the dozen scalar members of an audit entry cost more than the serialisation.
 */
function jcs(value: unknown): string {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new TypeError('Lone surrogate is not allowed');
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('NaN and Infinity are not allowed');
    return JSON.stringify(value);
  }
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}
