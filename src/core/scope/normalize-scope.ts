/**
 * Scope validation and normalisation (docs/api.md §3). The CA runs every requested scope through `normalizeScope`
 * before it is compared with a parent or written into a certificate, so a certificate never carries a scope the
 * contract would refuse (and the scope extension's decoder can re-validate with the same function).
 */
import { KakuninError } from '../errors.js';
import { DEFAULT_CURRENCY, type Scope } from '../model.js';

export const SCOPE_LIST_FIELDS = ['allowedCounterparties', 'allowedActions', 'allowedRegions'] as const;
export const SCOPE_AMOUNT_FIELDS = ['maxTransactionSize', 'maxDailyVolume'] as const;
export type ScopeListField = (typeof SCOPE_LIST_FIELDS)[number];
export type ScopeAmountField = (typeof SCOPE_AMOUNT_FIELDS)[number];

const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const MAX_ITEM_LENGTH = 128;
const KNOWN_FIELDS = new Set<string>([
  ...SCOPE_LIST_FIELDS,
  ...SCOPE_AMOUNT_FIELDS,
  'currency',
  'maxTransactionsPerHour',
]);

const invalid = (field: string, message: string): KakuninError =>
  new KakuninError('INVALID_REQUEST', message, { field: `scope.${field}` });

function amount(field: ScopeAmountField, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(field, `${field} must be a finite number >= 0`);
  }
  // -0 would encode differently from 0 yet compare equal; store the canonical zero.
  return value === 0 ? 0 : value;
}

/** Matches an unpaired UTF-16 surrogate: it has no UTF-8 form, so the certificate could not carry it faithfully. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Length in characters (Unicode code points), as the contract counts them: an item of 128 emoji is 128 characters
 * although JavaScript's `length` says 256. Only called on strings free of lone surrogates.
 */
function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function list(field: ScopeListField, value: unknown): string[] {
  if (!Array.isArray(value)) throw invalid(field, `${field} must be an array of strings`);
  return value.map((item, index) => {
    if (typeof item !== 'string' || LONE_SURROGATE.test(item)) {
      throw invalid(`${field}.${index}`, `${field} items must be strings of 1-${MAX_ITEM_LENGTH} characters`);
    }
    const characters = characterCount(item);
    if (characters < 1 || characters > MAX_ITEM_LENGTH) {
      throw invalid(`${field}.${index}`, `${field} items must be strings of 1-${MAX_ITEM_LENGTH} characters`);
    }
    return item;
  });
}

/**
 * Validates `input` against docs/api.md §3 and returns a fresh scope with `currency` defaulted to "EUR".
 * Unknown fields are refused rather than dropped: a limit the caller meant to set must never silently vanish.
 * @throws KakuninError INVALID_REQUEST with `field` = `scope.<name>`
 * @example normalizeScope({ maxTransactionSize: 100 }) // { maxTransactionSize: 100, currency: 'EUR' }
 */
export function normalizeScope(input: Scope): Scope {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new KakuninError('INVALID_REQUEST', 'scope must be an object', { field: 'scope' });
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.has(key)) throw invalid(key, `unknown scope field ${key}`);
  }
  const scope: Scope = {};
  const raw = input as Record<string, unknown>;
  for (const field of SCOPE_AMOUNT_FIELDS) {
    if (raw[field] !== undefined) scope[field] = amount(field, raw[field]);
  }
  const currency = raw.currency ?? DEFAULT_CURRENCY;
  if (typeof currency !== 'string' || !CURRENCY_PATTERN.test(currency)) {
    throw invalid('currency', 'currency must be an ISO 4217 code of three capital letters');
  }
  scope.currency = currency;
  for (const field of SCOPE_LIST_FIELDS) {
    if (raw[field] !== undefined) scope[field] = list(field, raw[field]);
  }
  const perHour = raw.maxTransactionsPerHour;
  if (perHour !== undefined) {
    if (typeof perHour !== 'number' || !Number.isSafeInteger(perHour) || perHour < 1) {
      throw invalid('maxTransactionsPerHour', 'maxTransactionsPerHour must be an integer >= 1');
    }
    scope.maxTransactionsPerHour = perHour;
  }
  return scope;
}
