import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KakuninError } from '../../../../src/core/errors.js';
import { formatDecimal, parseDecimal } from '../../../../src/core/scope/decimal.js';
import { normalizeScope } from '../../../../src/core/scope/normalize-scope.js';
import { decodeScope, encodeScope } from '../../../../src/core/scope/scope-codec.js';
import { ScopeExtension } from '../../../../src/core/scope/scope-extension.js';
import { scopeArbitrary } from './scope-arbitraries.js';

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s/g, ''), 'hex'));

describe('scope extension codec', () => {
  it('round-trips arbitrary valid scopes: decode(encode(s)) = normalize(s)', () => {
    fc.assert(
      fc.property(scopeArbitrary, (scope) => {
        expect(decodeScope(encodeScope(scope))).toEqual(normalizeScope(scope));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips through the registered X.509 extension class', () => {
    fc.assert(
      fc.property(scopeArbitrary, (scope) => {
        const built = new ScopeExtension(scope);
        expect(new ScopeExtension(built.rawData).scope).toEqual(normalizeScope(scope));
        expect(built.critical).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('round-trips non-BMP list items byte for byte (UTF8String, 4-byte sequences)', () => {
    const scope = { currency: 'EUR', allowedCounterparties: ['\u{1F600}'.repeat(128), 'caf\u00e9', '\u{10FFFF}'] };
    expect(decodeScope(encodeScope(scope))).toEqual(scope);
  });

  it('keeps an empty list (allows nothing) distinct from an absent one (no limit)', () => {
    expect(decodeScope(encodeScope({ allowedActions: [] }))).toEqual({ currency: 'EUR', allowedActions: [] });
    expect(decodeScope(encodeScope({}))).toEqual({ currency: 'EUR' });
  });

  it('has the documented DER layout', () => {
    const der = encodeScope({ maxTransactionSize: 99.95, allowedActions: [], maxTransactionsPerHour: 10 });
    expect(Buffer.from(der).toString('hex')).toBe('30171303455552a007160539392e3935a2023000a40302010a');
  });

  it.each([
    ['empty input', ''],
    ['not a SEQUENCE', '0500'],
    ['missing currency', '3000'],
    ['lowercase currency', '3005 1303 657572'],
    ['trailing bytes after the SEQUENCE', '3005 1303 455552 00'],
    ['unknown trailing field [6]', '300a 1303 455552 a603 020101'],
    ['non-canonical decimal (trailing zero)', '300d 1303 455552 a006 1604 31302e30'],
    ['exponent decimal', '300c 1303 455552 a005 1603 316532'],
    ['negative decimal', '300b 1303 455552 a004 1602 2d31'],
    ['per-hour zero', '300a 1303 455552 a403 020100'],
    ['per-hour negative', '300a 1303 455552 a403 0201ff'],
    ['empty list item', '300b 1303 455552 a204 3002 0c00'],
    ['BER long-form length', '30 8105 1303 455552'],
    ['fields out of order', '3011 1303 455552 a403 02010a a005 1603 313030'],
  ])('rejects malformed DER: %s', (_name, value) => {
    let thrown: unknown;
    try {
      decodeScope(hex(value));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KakuninError);
    expect((thrown as KakuninError).code).toBe('INVALID_REQUEST');
  });
});

describe('canonical decimals', () => {
  it.each([
    [0, '0'],
    [9900, '9900'],
    [99.95, '99.95'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [5e-324, `0.${'0'.repeat(323)}5`],
  ])('%d ↔ %s', (value, text) => {
    expect(formatDecimal(value)).toBe(text);
    expect(parseDecimal(text)).toBe(value);
  });

  it('round-trips every finite non-negative double', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(parseDecimal(formatDecimal(value))).toBe(value === 0 ? 0 : value);
      }),
      { numRuns: 1000 },
    );
  });

  it.each(['', '01', '1.', '.5', '1.50', '-1', '1e5', ' 1', '0x10'])('refuses %j', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });
});
