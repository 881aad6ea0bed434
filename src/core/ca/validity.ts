/** Requested certificate lifetimes (docs/api.md §3) and the second-granular times X.509 can represent. */
import { KakuninError } from '../errors.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const DEFAULT_VALIDITY_DAYS = 30;

/** UTCTime/GeneralizedTime carry whole seconds: records must hold exactly what the certificate says. */
export const toWholeSeconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** Lifetime in ms from `validityDays` (1–365) or `validityHours` (1–8760), not both; 30 days by default. */
export function requestedLifetimeMs(validityDays?: number, validityHours?: number): number {
  if (validityDays !== undefined && validityHours !== undefined) {
    throw new KakuninError('INVALID_REQUEST', 'give validityDays or validityHours, not both', {
      field: 'validityHours',
    });
  }
  if (validityHours !== undefined) {
    if (!Number.isInteger(validityHours) || validityHours < 1 || validityHours > 8760) {
      throw new KakuninError('INVALID_REQUEST', 'validityHours must be an integer 1-8760', { field: 'validityHours' });
    }
    return validityHours * HOUR_MS;
  }
  const days = validityDays ?? DEFAULT_VALIDITY_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new KakuninError('INVALID_REQUEST', 'validityDays must be an integer 1-365', { field: 'validityDays' });
  }
  return days * DAY_MS;
}

/** Adds whole calendar years in UTC (a 20-year root ends on the same date 20 years later). */
export function addYears(ms: number, years: number): number {
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.getTime();
}
