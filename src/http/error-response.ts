/**
 * The one mapping from errors to HTTP answers. Contract errors keep their code, message and field; verification
 * failures use the verify route's `{"verified": false, "error"}` shape; everything else (a dependency failure, a bug)
 * becomes 503 UNAVAILABLE with a generic message. Details go to the log, never to the caller, and nothing is a 500.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { DependencyError, KakuninError, VERIFICATION_CODES, type VerificationCode } from '../core/errors.js';
import { json } from './responses.js';

export interface ErrorLog {
  error(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
}

const UNAVAILABLE_MESSAGE = 'a dependency is unavailable; the request had no effect';

const isVerificationCode = (code: string): code is VerificationCode =>
  (VERIFICATION_CODES as readonly string[]).includes(code);

/** A safe description of an error for the log: name, code and message, without request data. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof KakuninError) return { name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error };
}

export function errorResponse(error: unknown, log: ErrorLog): APIGatewayProxyResult {
  if (error instanceof KakuninError && !(error instanceof DependencyError) && error.code !== 'UNAVAILABLE') {
    if (isVerificationCode(error.code)) return json(error.status, { verified: false, error: error.toBody() });
    return json(error.status, { error: error.toBody() });
  }
  log.error('request failed on a dependency or an unexpected error', { error: describeError(error) });
  return json(503, { error: { code: 'UNAVAILABLE', message: UNAVAILABLE_MESSAGE } });
}
