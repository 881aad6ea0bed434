/**
 * Duplicate JSON keys are a parser-differential attack: JSON.parse keeps the last, other parsers keep the first. An
 * agent could sign (and pass scope with) `amount: 1` while a first-wins downstream parser reads `amount: 1000000`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_STRICT_JSON_DEPTH, parseJsonStrict } from '../../../../src/core/envelope/strict-json.js';
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

  it('refuses nesting deeper than MAX_STRICT_JSON_DEPTH with the path where it stops scanning', () => {
    const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    expect(parseJsonStrict(nested(MAX_STRICT_JSON_DEPTH))).toBeTypeOf('object');
    const deepest = Array.from({ length: MAX_STRICT_JSON_DEPTH + 1 }, () => 'a').join('.');
    expect(failure(nested(MAX_STRICT_JSON_DEPTH + 1))).toEqual({ code: 'INVALID_REQUEST', field: deepest });
    expect(failure(`${'['.repeat(10_000)}${']'.repeat(10_000)}`).code).toBe('INVALID_REQUEST');
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

describe('parseJsonStrict numbers (docs/api.md §4)', () => {
  it.each([
    ['{"a":100.00000000000000001}', 'a'],
    ['{"a":1e-400}', 'a'],
    ['{"a":1e400}', 'a'],
    ['{"a":-1e400}', 'a'],
    ['[0.1,[9007199254740993]]', '[1][0]'],
    ['{"a":{"b":5e-325}}', 'a.b'],
    ['{"a":123456789012345678901234567890}', 'a'],
  ])('refuses %s with field %s', (text, field) => {
    expect(failure(text)).toEqual({ code: 'INVALID_REQUEST', field });
  });

  it('refuses an inexact top-level number without a field', () => {
    expect(failure('1e999')).toEqual({ code: 'INVALID_REQUEST' });
  });

  it.each([
    '9900.0',
    '9.9e3',
    '9.9E+3',
    '0.1',
    '-0',
    '-0.0e10',
    '0e999999999999',
    '1e21',
    '5e-324',
    '1.7976931348623157e308',
    '9007199254740992',
    '100000000000000000000',
    '0.000001',
  ])('accepts %s, which denotes its double exactly', (text) => {
    expect(parseJsonStrict(text)).toBe(JSON.parse(text));
  });

  it('accepts every double written in its shortest form, and refuses it with one more significant digit', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const shortest = JSON.stringify(value);
        expect(parseJsonStrict(shortest)).toBe(value === 0 ? 0 : value);
        if (value === 0) return; // appending digits to 0 writes a different, exact number
        const [mantissa = '', exponent] = shortest.split('e');
        const longer = `${mantissa}${mantissa.includes('.') ? '' : '.'}000000000000000000001${exponent === undefined ? '' : `e${exponent}`}`;
        expect(failure(longer).code).toBe('INVALID_REQUEST');
      }),
      { numRuns: 500 },
    );
  });
});
