/**
 * How a refusal reads for a model and a log: the contract code, the field, the service's message, and that the tool
 * did not run. Frameworks that show a model only `error.message` still show it the code and the field.
 */
import { KakuninError } from '../errors.js';

export interface Refusal {
  code: string;
  message: string;
  field?: string;
}

/** One line a model can act on, e.g. `Kakunin refused "charge" (SCOPE_VIOLATION, field amount): …; the tool did not run.` */
export function refusalText(action: string, refusal: Refusal): string {
  const field = refusal.field === undefined ? '' : `, field ${refusal.field}`;
  return `Kakunin refused "${action}" (${refusal.code}${field}): ${refusal.message}; the tool did not run.`;
}

/** The error a guarded tool throws: the §4 code and field, a message that repeats them, the HTTP-like status. */
export function refusalError(action: string, refusal: Refusal, status: number, cause?: unknown): KakuninError {
  return new KakuninError(refusal.code, refusalText(action, refusal), { status, field: refusal.field, cause });
}

/**
 * An error that says the check could not be made (network, timeout, 429/5xx), as opposed to a decision. Only these
 * may fail open; a bug, a 4xx or an unreadable certificate never does.
 */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof KakuninError)) return false;
  if (error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT') return true;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/** The refusal carried by any error (a non-KakuninError is a guard failure: it never runs the tool). */
export function refusalOf(error: unknown): Refusal & { status: number } {
  if (error instanceof KakuninError) {
    const base = { code: error.code, message: error.message, status: error.status };
    return error.field === undefined ? base : { ...base, field: error.field };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'UNAVAILABLE', message: `the tool guard failed: ${message}`, status: 0 };
}
