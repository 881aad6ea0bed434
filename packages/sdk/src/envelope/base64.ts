/**
 * Strict base64 for envelope signatures (docs/api.md §4: "standard base64"). Node's decoder is lenient: it skips
 * whitespace and invalid characters, accepts missing padding and the URL-safe alphabet, and ignores non-zero padding
 * bits. A lenient decoder gives one signature many spellings, so the verifier accepts exactly one: the canonical
 * encoding that re-encodes to the same text. One definition for the service (src/core/envelope/base64.ts re-exports it)
 * and the SDK, so the offline verifier accepts exactly the signatures the service accepts.
 */

/**
 * Decodes canonical, padded, standard-alphabet base64; undefined for anything else (including the empty string).
 *
 * One check covers every spelling: Node's encoder emits exactly the canonical form (standard alphabet, `=` padding,
 * zero padding bits, no whitespace), so a text that re-encodes to itself IS canonical, and any other spelling
 * (whitespace, URL-safe characters, missing padding, non-zero padding bits, junk the lenient decoder skipped)
 * re-encodes differently. No separate pattern test is needed.
 */
export function decodeStrictBase64(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Unpadded base64url (RFC 4648 §5): the nonce alphabet of docs/api.md §4 is a superset of it. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}
