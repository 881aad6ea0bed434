/**
 * The server answers with its own KakuninError (src/core/errors.ts), never the SDK's. Pure modules the server takes
 * from the SDK (docs/architecture.md, "Shared with the SDK") throw the SDK's KakuninError; the server's module for each
 * one wraps its throwing functions here, so every caller in the server (an HTTP edge mapping `instanceof KakuninError`,
 * a `catch` that rethrows domain errors) sees the same code, message and `field` it saw when the server had a copy.
 */
import { KakuninError as SdkKakuninError } from '../../packages/sdk/src/errors.js';
import { ERROR_STATUS, type ErrorCode, KakuninError } from './errors.js';

const isServerCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_STATUS, code);

/** The server's error for an SDK error whose code the server knows; anything else unchanged. */
export function toServerError(error: unknown): unknown {
  if (!(error instanceof SdkKakuninError) || !isServerCode(error.code)) return error;
  return new KakuninError(error.code, error.message, { field: error.field, cause: error });
}

/** `fn`, throwing the server's KakuninError where it threw the SDK's. */
export function withServerErrors<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return fn(...args);
    } catch (error) {
      throw toServerError(error);
    }
  };
}
