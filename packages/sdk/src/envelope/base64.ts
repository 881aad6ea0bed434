/**
 * Strict base64 (docs/api.md §4 "standard base64"). Node's decoder is lenient (whitespace, URL-safe alphabet, missing
 * padding, non-zero padding bits), which gives one signature many spellings; the verifier accepts only the text that
 * re-encodes to itself, exactly as the service does.
 */
export function decodeStrictBase64(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const encodeBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** Unpadded base64url: a subset of the nonce alphabet of docs/api.md §4. */
export const encodeBase64Url = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
