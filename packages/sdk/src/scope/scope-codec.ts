/**
 * Scope ↔ DER (the extnValue of the scope extension). Decoding fails closed: anything that is not the exact DER the
 * encoder would produce for a contract-valid scope (trailing bytes, unknown fields, non-canonical decimals, BER
 * variants, out-of-range values) is rejected, because a verifier that misread a scope would grant authority the
 * issuer never gave.
 */
import { KakuninError } from '../errors.js';
import type { Scope } from '../types.js';
import { formatDecimal, parseDecimal } from './decimal.js';
import { normalizeScope, SCOPE_LIST_FIELDS } from './normalize-scope.js';
import { KakuninScopeAsn, parseScopeAsn, ScopeListAsn, serializeScopeAsn } from './scope-asn.js';

const malformed = (detail: string, cause?: unknown): KakuninError =>
  new KakuninError('INVALID_REQUEST', `malformed scope extension: ${detail}`, { status: 400, field: 'scope', cause });

/** DER of a scope; the scope is normalised first, so what is encoded is always contract-valid. */
export function encodeScope(input: Scope): Uint8Array<ArrayBuffer> {
  const scope = normalizeScope(input);
  const asn = new KakuninScopeAsn();
  asn.currency = scope.currency ?? '';
  if (scope.maxTransactionSize !== undefined) asn.maxTransactionSize = formatDecimal(scope.maxTransactionSize);
  for (const field of SCOPE_LIST_FIELDS) {
    const items = scope[field];
    if (items !== undefined) asn[field] = new ScopeListAsn(items);
  }
  if (scope.maxTransactionsPerHour !== undefined) asn.maxTransactionsPerHour = BigInt(scope.maxTransactionsPerHour);
  if (scope.maxDailyVolume !== undefined) asn.maxDailyVolume = formatDecimal(scope.maxDailyVolume);
  return serializeScopeAsn(asn);
}

function decimalField(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const value = parseDecimal(text);
  if (value === undefined) throw malformed(`${field} is not a canonical decimal`);
  return value;
}

/** Scope from DER. @throws KakuninError INVALID_REQUEST (field `scope`) on anything but canonical DER. */
export function decodeScope(der: Uint8Array): Scope {
  let asn: KakuninScopeAsn;
  try {
    asn = parseScopeAsn(der);
  } catch (error) {
    throw malformed('not a KakuninScope DER SEQUENCE', error);
  }
  const raw: Record<string, unknown> = { currency: asn.currency };
  raw.maxTransactionSize = decimalField(asn.maxTransactionSize, 'maxTransactionSize');
  raw.maxDailyVolume = decimalField(asn.maxDailyVolume, 'maxDailyVolume');
  for (const field of SCOPE_LIST_FIELDS) raw[field] = asn[field] === undefined ? undefined : [...asn[field]];
  if (asn.maxTransactionsPerHour !== undefined) {
    const perHour = asn.maxTransactionsPerHour;
    if (perHour < 1n || perHour > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('maxTransactionsPerHour range');
    raw.maxTransactionsPerHour = Number(perHour);
  }
  for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
  let scope: Scope;
  try {
    scope = normalizeScope(raw as Scope);
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : 'invalid scope', error);
  }
  if (raw.currency !== scope.currency) throw malformed('currency missing');
  // Canonical-form check: re-encoding must reproduce the input byte for byte (rejects trailing data, BER, extras).
  if (!sameBytes(encodeScope(scope), der)) throw malformed('not the canonical DER encoding');
  return scope;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
