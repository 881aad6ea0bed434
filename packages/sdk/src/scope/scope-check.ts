/**
 * Contract §4 step 5 as a pure function: does a payload lie within a certificate's scope? Fail closed: a limit the
 * scope declares requires the payload field it limits, so leaving a field out never slips past a limit.
 *
 * Rules, checked in this order (first violation wins):
 * 1. `allowedActions` declared → `action` must be listed.
 * 2. `allowedCounterparties` declared → the payload must carry a listed `counterparty`.
 * 3. `allowedRegions` declared → the payload must carry a listed `region`.
 * 4. `maxTransactionSize` or `maxDailyVolume` declared → the payload must carry `amount` (issue 3: "a limit the
 *    scope declares requires its field"; an action that leaves its amount out must not slip past an amount limit).
 * 5. The payload has `amount` → `currency` must equal the scope's (default EUR); the amount must not be negative
 *    (a negative amount would lower the day's volume, so it is refused rather than trusted); and when
 *    `maxTransactionSize` is declared, `amount` ≤ it.
 * An absent list or limit places no limit; an empty list allows nothing (docs/api.md §3).
 */
import type { ActionPayload, Scope } from '../types.js';
import { DEFAULT_CURRENCY } from './normalize-scope.js';

/** `field` values of SCOPE_VIOLATION: the JSON path of the offending payload field within the envelope. */
export const SCOPE_FIELDS = {
  action: 'payload.action',
  counterparty: 'payload.counterparty',
  region: 'payload.region',
  currency: 'payload.currency',
  amount: 'payload.amount',
} as const;

export type ScopeField = (typeof SCOPE_FIELDS)[keyof typeof SCOPE_FIELDS];

export interface ScopeViolation {
  field: ScopeField;
  message: string;
}

function isListed(list: readonly string[], value: unknown): boolean {
  return typeof value === 'string' && list.includes(value);
}

/** Returns undefined when `payload` is within `scope`, otherwise the first violation. */
export function checkScope(scope: Scope, payload: ActionPayload): ScopeViolation | undefined {
  if (scope.allowedActions !== undefined && !isListed(scope.allowedActions, payload.action)) {
    return { field: SCOPE_FIELDS.action, message: 'action is not in the allowed actions' };
  }
  if (scope.allowedCounterparties !== undefined && !isListed(scope.allowedCounterparties, payload.counterparty)) {
    return {
      field: SCOPE_FIELDS.counterparty,
      message:
        payload.counterparty === undefined
          ? 'the scope limits counterparties: counterparty is required'
          : 'counterparty is not in the allowed counterparties',
    };
  }
  if (scope.allowedRegions !== undefined && !isListed(scope.allowedRegions, payload.region)) {
    return {
      field: SCOPE_FIELDS.region,
      message:
        payload.region === undefined
          ? 'the scope limits regions: region is required'
          : 'region is not in the allowed regions',
    };
  }
  if (payload.amount === undefined && (scope.maxTransactionSize !== undefined || scope.maxDailyVolume !== undefined)) {
    return { field: SCOPE_FIELDS.amount, message: 'the scope limits amounts: amount is required' };
  }
  if (payload.amount !== undefined) {
    const currency = scope.currency ?? DEFAULT_CURRENCY;
    if (payload.currency !== currency) {
      return { field: SCOPE_FIELDS.currency, message: `a payload with amount must carry currency ${currency}` };
    }
    if (!(payload.amount >= 0)) {
      return { field: SCOPE_FIELDS.amount, message: 'amount must not be negative' };
    }
    if (scope.maxTransactionSize !== undefined && payload.amount > scope.maxTransactionSize) {
      return { field: SCOPE_FIELDS.amount, message: 'amount exceeds the maximum transaction size' };
    }
  }
  return undefined;
}
