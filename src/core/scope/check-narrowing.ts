/**
 * The sub-agent narrowing rule of docs/api.md §3, as a pure function: a child's scope must lie within its parent's.
 * Scopes are normally normalised (normalize-scope.ts), but a stored parent scope may lack `currency`; an absent
 * currency means the contract default (EUR) on either side, never "any currency" and never "no match".
 */
import { DEFAULT_CURRENCY, type Scope } from '../model.js';
import { SCOPE_LIST_FIELDS } from './normalize-scope.js';

const LIMIT_FIELDS = ['maxTransactionSize', 'maxDailyVolume', 'maxTransactionsPerHour'] as const;

/**
 * Returns undefined when `child` ⊆ `parent`, otherwise a message naming the first offending field.
 * Rules: same currency; every limit the parent has is present in the child and ≤ the parent's; every list the parent
 * has is present in the child and each child item is in the parent's list. A limit or list the parent lacks is
 * unlimited there, so the child may set any value.
 * @example checkNarrowing({ maxTransactionSize: 50 }, { maxTransactionSize: 100 }) // undefined
 */
export function checkNarrowing(child: Scope, parent: Scope): string | undefined {
  const childCurrency = child.currency ?? DEFAULT_CURRENCY;
  const parentCurrency = parent.currency ?? DEFAULT_CURRENCY;
  if (childCurrency !== parentCurrency) {
    return `scope.currency: ${childCurrency} differs from the parent's ${parentCurrency}`;
  }
  for (const field of LIMIT_FIELDS) {
    const limit = parent[field];
    if (limit === undefined) continue;
    const value = child[field];
    if (value === undefined) return `scope.${field}: the parent limits it to ${limit}; the child may not drop it`;
    if (value > limit) return `scope.${field}: ${value} exceeds the parent's ${limit}`;
  }
  for (const field of SCOPE_LIST_FIELDS) {
    const allowed = parent[field];
    if (allowed === undefined) continue;
    const requested = child[field];
    if (requested === undefined) return `scope.${field}: the parent restricts it; the child may not drop the list`;
    const permitted = new Set(allowed);
    const extra = requested.find((item) => !permitted.has(item));
    if (extra !== undefined) return `scope.${field}: ${JSON.stringify(extra)} is not in the parent's list`;
  }
  return undefined;
}
