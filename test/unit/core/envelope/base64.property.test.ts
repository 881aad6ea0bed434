import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStrictBase64 } from '../../../../src/core/envelope/base64.js';

/** The previous definition (pattern test, then re-encoding): the faster check must accept exactly the same texts. */
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function referenceDecode(text: string): Uint8Array | undefined {
  if (text.length === 0 || !STANDARD_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}

const NEAR_BASE64 = fc.constantFrom(...'AQZaz09+/=-_ \n\t.é'.split(''));

describe('decodeStrictBase64 (property)', () => {
  it('accepts exactly the texts the pattern-based definition accepts, with the same bytes', () => {
    fc.assert(
      fc.property(fc.array(NEAR_BASE64, { maxLength: 16 }), (chars) => {
        const text = chars.join('');
        const expected = referenceDecode(text);
        const actual = decodeStrictBase64(text);
        expect(actual === undefined ? undefined : [...actual]).toEqual(
          expected === undefined ? undefined : [...expected],
        );
      }),
      { numRuns: 5_000 },
    );
  });

  it('round-trips any bytes through their canonical encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), (bytes) => {
        const decoded = decodeStrictBase64(Buffer.from(bytes).toString('base64'));
        expect(decoded && [...decoded]).toEqual([...bytes]);
      }),
    );
  });
});
