import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../../../src/core/model.js';
import { checkNarrowing } from '../../../../src/core/scope/check-narrowing.js';
import { normalizeScope } from '../../../../src/core/scope/normalize-scope.js';
import { narrowingOf, scopeArbitrary } from './scope-arbitraries.js';

const LIMITS = ['maxTransactionSize', 'maxDailyVolume', 'maxTransactionsPerHour'] as const;
const LISTS = ['allowedCounterparties', 'allowedActions', 'allowedRegions'] as const;

describe('checkNarrowing (contract §3 sub-agent rule)', () => {
  it('accepts any scope as a narrowing of itself', () => {
    fc.assert(fc.property(scopeArbitrary, (scope) => checkNarrowing(scope, scope) === undefined));
  });

  it('accepts every random narrowing of a parent', () => {
    const pair = scopeArbitrary.chain((parent) => narrowingOf(parent).map((child) => ({ parent, child })));
    fc.assert(
      fc.property(pair, ({ parent, child }) => {
        expect(checkNarrowing(normalizeScope(child), parent)).toBeUndefined();
      }),
    );
  });

  it('is transitive: a narrowing of a narrowing is a narrowing of the grandparent', () => {
    const triple = scopeArbitrary.chain((a) => narrowingOf(a).chain((b) => narrowingOf(b).map((c) => ({ a, b, c }))));
    fc.assert(
      fc.property(triple, ({ a, b, c }) => {
        expect(checkNarrowing(b, a)).toBeUndefined();
        expect(checkNarrowing(c, b)).toBeUndefined();
        expect(checkNarrowing(c, a)).toBeUndefined();
      }),
    );
  });

  it('rejects widening any single limit, naming the field', () => {
    const withLimit = fc.tuple(scopeArbitrary, fc.constantFrom(...LIMITS)).filter(([s, f]) => s[f] !== undefined);
    fc.assert(
      fc.property(withLimit, ([parent, field]) => {
        const limit = parent[field] as number;
        const wider = field === 'maxTransactionsPerHour' ? limit + 1 : limit === 0 ? 1 : limit * 2 || 1;
        fc.pre(wider > limit);
        const message = checkNarrowing({ ...parent, [field]: wider }, parent);
        expect(message).toContain(`scope.${field}`);
        const dropped = { ...parent };
        delete dropped[field];
        expect(checkNarrowing(dropped, parent)).toContain(`scope.${field}`);
      }),
    );
  });

  it('rejects adding an item to, or dropping, any list the parent has', () => {
    const withList = fc.tuple(scopeArbitrary, fc.constantFrom(...LISTS)).filter(([s, f]) => s[f] !== undefined);
    fc.assert(
      fc.property(withList, ([parent, field]) => {
        const extra = `${(parent[field] ?? []).join('')}-not-in-parent`.slice(-128);
        fc.pre(!(parent[field] ?? []).includes(extra));
        expect(checkNarrowing({ ...parent, [field]: [...(parent[field] ?? []), extra] }, parent)).toContain(field);
        const dropped = { ...parent };
        delete dropped[field];
        expect(checkNarrowing(dropped, parent)).toContain(field);
      }),
    );
  });

  it('named cases', () => {
    const parent: Scope = { currency: 'EUR', maxTransactionSize: 100, allowedActions: ['charge', 'refund'] };
    expect(checkNarrowing({ currency: 'EUR', maxTransactionSize: 100, allowedActions: [] }, parent)).toBeUndefined();
    expect(checkNarrowing({ currency: 'USD', maxTransactionSize: 1, allowedActions: [] }, parent)).toContain(
      'scope.currency',
    );
    expect(checkNarrowing({ currency: 'EUR', maxTransactionSize: 1, allowedActions: ['payout'] }, parent)).toContain(
      '"payout"',
    );
    // A limit the parent lacks may be set to anything.
    expect(
      checkNarrowing({ currency: 'EUR', maxTransactionSize: 1, allowedActions: [], maxDailyVolume: 1e9 }, parent),
    ).toBeUndefined();
  });

  it('an absent currency is the contract default EUR on either side', () => {
    // A stored parent scope without `currency` is an EUR scope: an EUR child narrows it, a USD child does not.
    expect(checkNarrowing({ currency: 'EUR' }, {})).toBeUndefined();
    expect(checkNarrowing({ currency: 'EUR', maxTransactionSize: 5 }, { maxTransactionSize: 10 })).toBeUndefined();
    expect(checkNarrowing({ currency: 'USD' }, {})).toContain("scope.currency: USD differs from the parent's EUR");
    expect(checkNarrowing({}, { currency: 'USD' })).toContain("scope.currency: EUR differs from the parent's USD");
    expect(checkNarrowing({}, { currency: 'EUR' })).toBeUndefined();
  });
});
