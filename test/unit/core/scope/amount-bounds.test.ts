/** The grid every amount and amount limit lies on, so that the DynamoDB counters (38 digits) hold every sum exactly. */
import { describe, expect, it } from 'vitest';
import { parsePayload } from '../../../../src/core/envelope/schema.js';
import { KakuninError } from '../../../../src/core/errors.js';
import { enforceableDayLimit, isCountableAmount } from '../../../../src/core/scope/amount-bounds.js';

describe('amount bounds', () => {
  it.each([0, 1, 0.1, 0.123456789, 9900, 1e-18, 0.000000000000000123, 99_999_999_999_999_980_000, 1e19, -5])(
    'accepts %s',
    (value) => {
      expect(isCountableAmount(value)).toBe(true);
    },
  );

  it.each([1e20, 1e30, 1e150, 1e200, 1e-19, 1.5e-18, 1e-200, 5e-324, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses %s',
    (value) => {
      expect(isCountableAmount(value)).toBe(false);
    },
  );

  it('enforces a legacy limit at or above 1e20 as the largest value on the grid, and refuses an off-grid one', () => {
    expect(enforceableDayLimit(1e30)).toBe(99_999_999_999_999_980_000);
    expect(enforceableDayLimit(500)).toBe(500);
    expect(enforceableDayLimit(1.5e-19)).toBeUndefined();
    expect(enforceableDayLimit(-1)).toBeUndefined();
  });

  it('refuses an off-grid payload amount with INVALID_REQUEST naming payload.amount (verify and sign route alike)', () => {
    for (const amount of [1e-200, 5e-324, 1e150]) {
      let error: unknown;
      try {
        parsePayload({ action: 'pay', amount, currency: 'EUR' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(KakuninError);
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', field: 'payload.amount' });
    }
    expect(parsePayload({ action: 'pay', amount: 0.123456789, currency: 'EUR' }).amount).toBe(0.123456789);
  });
});
