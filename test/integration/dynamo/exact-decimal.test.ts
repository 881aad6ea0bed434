import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactDecimal, exactDifference } from '../../../src/adapters/aws/dynamo/exact-decimal.js';

describe('exact decimal arithmetic for DynamoDB thresholds', () => {
  it.each([
    [0.3, 0.1, '0.2'],
    [500, 30, '470'],
    [1, 1, '0'],
    [0.1, 0.3, '-0.2'],
    [1e21, 1, '999999999999999999999'],
    [1.5e-7, 0, '0.00000015'],
    [100, 99.99, '0.01'],
  ])('%s - %s = %s', (a, b, expected) => {
    expect(exactDifference(a, b)).toBe(expected);
  });

  it('writes numbers without exponents', () => {
    expect(exactDecimal(1e21)).toBe('1000000000000000000000');
    expect(exactDecimal(-2.5e-3)).toBe('-0.0025');
    expect(exactDecimal(0)).toBe('0');
  });

  it('rejects non-finite numbers', () => {
    expect(() => exactDifference(Number.NaN, 1)).toThrow(RangeError);
    expect(() => exactDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('agrees with floating point whenever floating point is exact (integers)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: -1e12, max: 1e12 }), (a, b) => {
        expect(exactDifference(a, b)).toBe(String(a - b));
      }),
    );
  });

  it('round-trips: the decimal string parses back to the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }), (x) => {
        expect(Number(exactDecimal(x))).toBe(x === 0 ? 0 : x);
      }),
    );
  });
});
