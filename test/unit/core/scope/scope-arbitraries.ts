/** fast-check generators of contract-valid scopes and of narrowings of a given scope. */
import fc from 'fast-check';
import type { Scope } from '../../../../src/core/model.js';

const item = fc.string({ minLength: 1, maxLength: 128, unit: 'grapheme-composite' }).filter((s) => s.length <= 128);
const list = fc.array(fc.oneof(item, fc.constantFrom('charge', 'refund', 'stripe', 'eu-west-1')), { maxLength: 6 });
const amount = fc.oneof(
  fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.constantFrom(0, 0.01, 99.95, 1e21, 5e-324, Number.MAX_VALUE),
);

export const scopeArbitrary: fc.Arbitrary<Scope> = fc.record(
  {
    maxTransactionSize: amount,
    currency: fc.constantFrom('EUR', 'USD', 'JPY'),
    allowedCounterparties: list,
    allowedActions: list,
    allowedRegions: list,
    maxTransactionsPerHour: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    maxDailyVolume: amount,
  },
  { requiredKeys: ['currency'] },
);

/** A random scope that lies within `parent`: lower limits, sub-lists, extra limits the parent lacks. */
export function narrowingOf(parent: Scope): fc.Arbitrary<Scope> {
  const limit = (value: number | undefined, integer = false) =>
    value === undefined
      ? fc.option(integer ? fc.integer({ min: 1, max: 1000 }) : fc.double({ min: 0, max: 1e6, noNaN: true }), {
          nil: undefined,
        })
      : fc.double({ min: 0, max: 1, noNaN: true }).map((f) => {
          const scaled = value * f;
          return integer ? Math.max(1, Math.floor(scaled)) : scaled === 0 ? 0 : scaled;
        });
  const subList = (values: string[] | undefined) =>
    values === undefined ? fc.option(list, { nil: undefined }) : fc.subarray(values);
  return fc
    .record({
      maxTransactionSize: limit(parent.maxTransactionSize),
      maxDailyVolume: limit(parent.maxDailyVolume),
      maxTransactionsPerHour: limit(parent.maxTransactionsPerHour, true),
      allowedCounterparties: subList(parent.allowedCounterparties),
      allowedActions: subList(parent.allowedActions),
      allowedRegions: subList(parent.allowedRegions),
    })
    .map((fields) => {
      const child: Scope = { currency: parent.currency };
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) (child as Record<string, unknown>)[key] = value;
      }
      return child;
    });
}
