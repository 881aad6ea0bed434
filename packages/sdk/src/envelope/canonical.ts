/** RFC 8785 (JCS) canonical JSON through the maintained `canonicalize` library, as the service uses. */
import canonicalize from 'canonicalize';

const UTF8 = new TextEncoder();

/** UTF-8 bytes of the JCS form of `value`. Throws TypeError on values JSON cannot represent (NaN, ∞, undefined). */
export function canonicalBytes(value: unknown): Uint8Array {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return UTF8.encode(text);
}
