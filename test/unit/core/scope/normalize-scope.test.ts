import { describe, expect, it } from 'vitest';
import { KakuninError } from '../../../../src/core/errors.js';
import type { Scope } from '../../../../src/core/model.js';
import { normalizeScope } from '../../../../src/core/scope/normalize-scope.js';

function fieldOf(input: unknown): string | undefined {
  try {
    normalizeScope(input as Scope);
  } catch (error) {
    expect(error).toBeInstanceOf(KakuninError);
    expect((error as KakuninError).code).toBe('INVALID_REQUEST');
    return (error as KakuninError).field;
  }
  return undefined;
}

describe('normalizeScope', () => {
  it('defaults currency to EUR and keeps every valid field', () => {
    expect(normalizeScope({})).toEqual({ currency: 'EUR' });
    const full: Scope = {
      maxTransactionSize: 0,
      currency: 'USD',
      allowedCounterparties: [],
      allowedActions: ['charge'],
      allowedRegions: ['x'.repeat(128)],
      maxTransactionsPerHour: 1,
      maxDailyVolume: 12.5,
    };
    expect(normalizeScope(full)).toEqual(full);
    expect(Object.is(normalizeScope({ maxDailyVolume: -0 }).maxDailyVolume, 0)).toBe(true);
  });

  it.each([
    [{ maxTransactionSize: -1 }, 'scope.maxTransactionSize'],
    [{ maxTransactionSize: Number.POSITIVE_INFINITY }, 'scope.maxTransactionSize'],
    [{ maxTransactionSize: Number.NaN }, 'scope.maxTransactionSize'],
    [{ maxDailyVolume: '5' }, 'scope.maxDailyVolume'],
    [{ maxTransactionsPerHour: 0 }, 'scope.maxTransactionsPerHour'],
    [{ maxTransactionsPerHour: 1.5 }, 'scope.maxTransactionsPerHour'],
    [{ currency: 'eur' }, 'scope.currency'],
    [{ currency: 'EURO' }, 'scope.currency'],
    [{ allowedActions: 'charge' }, 'scope.allowedActions'],
    [{ allowedActions: [''] }, 'scope.allowedActions.0'],
    [{ allowedRegions: ['ok', 'x'.repeat(129)] }, 'scope.allowedRegions.1'],
    [{ allowedCounterparties: [7] }, 'scope.allowedCounterparties.0'],
    [{ allowedCounterparties: ['\u{1F600}'.repeat(129)] }, 'scope.allowedCounterparties.0'],
    [{ allowedActions: ['ok', 'pay\uD800'] }, 'scope.allowedActions.1'],
    [{ allowedRegions: ['\uDC00'] }, 'scope.allowedRegions.0'],
    [{ maxAmount: 5 }, 'scope.maxAmount'],
  ])('%j → INVALID_REQUEST at %s', (input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it('refuses a non-object scope', () => {
    expect(fieldOf(null)).toBe('scope');
    expect(fieldOf([])).toBe('scope');
  });

  it('counts list items in characters (code points), so 128 non-BMP characters are allowed', () => {
    const emoji = '\u{1F600}'.repeat(128);
    expect(emoji.length).toBe(256);
    expect(normalizeScope({ allowedCounterparties: [emoji] })).toEqual({
      currency: 'EUR',
      allowedCounterparties: [emoji],
    });
  });
});
