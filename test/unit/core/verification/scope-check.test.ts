import { describe, expect, it } from 'vitest';
import type { ActionPayload, Scope } from '../../../../src/core/model.js';
import { checkScope } from '../../../../src/core/verification/scope-check.js';

const FULL: Scope = {
  currency: 'EUR',
  maxTransactionSize: 1000,
  allowedActions: ['charge', 'refund'],
  allowedCounterparties: ['stripe'],
  allowedRegions: ['eu-west-1'],
};
const OK: ActionPayload = {
  action: 'charge',
  amount: 1000,
  currency: 'EUR',
  counterparty: 'stripe',
  region: 'eu-west-1',
};

// [name, scope, payload, expected field or undefined for "within scope"]
const CASES: [string, Scope, ActionPayload, string | undefined][] = [
  ['empty scope allows anything', {}, { action: 'anything', counterparty: 'x' }, undefined],
  ['full scope, payload inside it (amount = max)', FULL, OK, undefined],
  ['action not listed', FULL, { ...OK, action: 'payout' }, 'payload.action'],
  ['empty allowedActions allows nothing', { allowedActions: [] }, { action: 'charge' }, 'payload.action'],
  ['action matching is case-sensitive', { allowedActions: ['charge'] }, { action: 'Charge' }, 'payload.action'],
  ['counterparty not listed', FULL, { ...OK, counterparty: 'revolut' }, 'payload.counterparty'],
  [
    'counterparty required when limited',
    { allowedCounterparties: ['stripe'] },
    { action: 'x' },
    'payload.counterparty',
  ],
  [
    'empty allowedCounterparties allows nothing',
    { allowedCounterparties: [] },
    { action: 'x', counterparty: 'a' },
    'payload.counterparty',
  ],
  [
    'counterparty free when not limited',
    { allowedRegions: ['r'] },
    { action: 'x', region: 'r', counterparty: 'z' },
    undefined,
  ],
  ['region not listed', FULL, { ...OK, region: 'us-east-1' }, 'payload.region'],
  ['region required when limited', { allowedRegions: ['eu-west-1'] }, { action: 'x' }, 'payload.region'],
  ['amount with the wrong currency', FULL, { ...OK, currency: 'USD' }, 'payload.currency'],
  ['amount without currency', { maxTransactionSize: 10 }, { action: 'x', amount: 1 }, 'payload.currency'],
  ['scope currency defaults to EUR', {}, { action: 'x', amount: 1, currency: 'USD' }, 'payload.currency'],
  ['default EUR accepts EUR', {}, { action: 'x', amount: 1e9, currency: 'EUR' }, undefined],
  [
    'currency comparison is exact',
    { currency: 'GBP' },
    { action: 'x', amount: 1, currency: 'gbp' },
    'payload.currency',
  ],
  [
    'non-EUR scope currency',
    { currency: 'GBP', maxTransactionSize: 5 },
    { action: 'x', amount: 5, currency: 'GBP' },
    undefined,
  ],
  ['amount over maxTransactionSize', FULL, { ...OK, amount: 1000.000001 }, 'payload.amount'],
  [
    'maxTransactionSize 0 allows amount 0',
    { maxTransactionSize: 0 },
    { action: 'x', amount: 0, currency: 'EUR' },
    undefined,
  ],
  [
    'maxTransactionSize 0 refuses amount 0.01',
    { maxTransactionSize: 0 },
    { action: 'x', amount: 0.01, currency: 'EUR' },
    'payload.amount',
  ],
  ['negative amount refused even without limits', {}, { action: 'x', amount: -1, currency: 'EUR' }, 'payload.amount'],
  [
    'no amount under maxTransactionSize: refused, the limit requires its field (fail closed)',
    FULL,
    { action: 'refund', counterparty: 'stripe', region: 'eu-west-1', currency: 'EUR' },
    'payload.amount',
  ],
  [
    'no amount under maxDailyVolume: refused likewise',
    { maxDailyVolume: 10_000 },
    { action: 'refund' },
    'payload.amount',
  ],
  [
    'no amount and no amount limit: currency is not checked',
    { ...FULL, maxTransactionSize: undefined },
    { action: 'refund', counterparty: 'stripe', region: 'eu-west-1', currency: 'USD' },
    undefined,
  ],
  [
    'first violation wins: action before counterparty',
    FULL,
    { action: 'payout', counterparty: 'evil' },
    'payload.action',
  ],
  ['first violation wins: region before currency', FULL, { ...OK, region: 'x', currency: 'USD' }, 'payload.region'],
  ['first violation wins: currency before size', FULL, { ...OK, amount: 1e6, currency: 'USD' }, 'payload.currency'],
];

describe('checkScope (contract §4 step 5)', () => {
  it.each(CASES)('%s', (_name, scope, payload, field) => {
    const violation = checkScope(scope, payload);
    expect(violation?.field).toBe(field);
    if (violation) expect(violation.message.length).toBeGreaterThan(0);
  });
});
