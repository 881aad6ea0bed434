/** RFC 8785 (JCS) canonical JSON, by the maintained `canonicalize` library. */
import canonicalize from 'canonicalize';

/** Stateless, so one instance serves every call (constructing one per call cost as much as the encoding). */
const UTF8 = new TextEncoder();

/** UTF-8 bytes of the JCS form of `value`. Throws on values JSON cannot represent (undefined at top, NaN, ∞). */
export function canonicalBytes(value: unknown): Uint8Array {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return UTF8.encode(text);
}

export function canonicalString(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}
