/**
 * Scope amounts are JSON numbers (IEEE-754 doubles, possibly fractional). In the certificate they are written as a
 * canonical plain decimal string: the shortest decimal that round-trips to the same double, without exponent, without
 * leading zeros in the integer part and without trailing zeros in the fraction. Exactly one string per value, so
 * encoding stays DER-deterministic, and the value is readable in `openssl asn1parse`.
 */

const CANONICAL_DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/;
/** 1.8e308 has 309 integer digits; 5e-324 needs 324 fraction digits plus "0.". */
const MAX_DECIMAL_LENGTH = 400;

/** Canonical decimal of a finite number ≥ 0. */
export function formatDecimal(value: number): string {
  if (!Number.isFinite(value) || value < 0) throw new RangeError('a scope amount is a finite number >= 0');
  const shortest = String(value === 0 ? 0 : value);
  const [mantissa = '', exponentText] = shortest.split('e');
  if (exponentText === undefined) return shortest;
  const [intPart = '', fraction = ''] = mantissa.split('.');
  const digits = `${intPart}${fraction}`;
  const point = intPart.length + Number(exponentText);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`.replace(/0+$/, '');
  if (point >= digits.length) return `${digits}${'0'.repeat(point - digits.length)}`;
  return `${digits.slice(0, point)}.${digits.slice(point)}`.replace(/\.?0+$/, '');
}

/** Parses a canonical decimal; undefined for anything else (a non-canonical form is malformed DER content). */
export function parseDecimal(text: string): number | undefined {
  if (text.length > MAX_DECIMAL_LENGTH || !CANONICAL_DECIMAL.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || formatDecimal(value) !== text) return undefined;
  return value;
}
