/**
 * Duplicate JSON keys are a parser-differential attack: JSON.parse keeps the last, other parsers keep the first. An
 * agent could sign (and pass scope with) `amount: 1` while a first-wins downstream parser reads `amount: 1000000`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonStrict } from '../../../../src/core/envelope/strict-json.js';
import { KakuninError } from '../../../../src/core/errors.js';

function failure(text: string): { code: string; field?: string } {
  try {
    parseJsonStrict(text);
  } catch (error) {
    expect(error).toBeInstanceOf(KakuninError);
    const { code, field } = error as KakuninError;
    return field === undefined ? { code } : { code, field };
  }
  return { code: 'NO_ERROR' };
}

describe('parseJsonStrict', () => {
  it.each([
    ['{"payload":{"action":"charge","amount":1000000,"amount":1}}', 'payload.amount'],
    ['{"nonce":"a","nonce":"b"}', 'nonce'],
    ['{"a":1,"\\u0061":2}', '\\u0061'.replace('\\u0061', 'a')],
    ['{"x":[{"k":1},{"k":1,"k":2}]}', 'x[1].k'],
    ['{ "p" : { "q" : 1 , "q" : 1 } }', 'p.q'],
    ['{"\\ud83d\\ude00":1,"😀":2}', '😀'],
  ])('refuses %s with field %s', (text, field) => {
    expect(failure(text)).toEqual({ code: 'INVALID_REQUEST', field });
  });

  it('accepts equal keys in different objects and keys differing only in escapes of other characters', () => {
    expect(parseJsonStrict('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}],"s":"}\\",{","t":"\\\\"}')).toEqual({
      a: { a: { a: 1 } },
      b: [{ a: 1 }, { a: 2 }],
      s: '}",{',
      t: '\\',
    });
  });

  it('refuses invalid JSON as INVALID_REQUEST', () => {
    expect(failure('{"a":1,}')).toEqual({ code: 'INVALID_REQUEST' });
  });

  it('agrees with JSON.parse on every JSON text without duplicates', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 1);
        expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});
