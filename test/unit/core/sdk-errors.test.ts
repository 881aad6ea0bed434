/**
 * The server's modules that reuse the SDK's pure code answer with the server's KakuninError (its status table and
 * `toBody`), so the HTTP edge maps them exactly as before; nothing else is rewritten.
 */
import { describe, expect, it } from 'vitest';
import { KakuninError as SdkKakuninError } from '../../../packages/sdk/src/errors.js';
import { KakuninError } from '../../../src/core/errors.js';
import { toServerError, withServerErrors } from '../../../src/core/sdk-errors.js';

describe('withServerErrors', () => {
  it("turns the SDK's INVALID_REQUEST into the server's, with the same message and field", () => {
    const sdkError = new SdkKakuninError('INVALID_REQUEST', 'duplicate JSON object key', { status: 400, field: 'a.b' });
    const wrapped = withServerErrors((): number => {
      throw sdkError;
    });
    let thrown: unknown;
    try {
      wrapped();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KakuninError);
    expect(thrown).not.toBeInstanceOf(SdkKakuninError);
    const server = thrown as KakuninError;
    expect(server.status).toBe(400);
    expect(server.toBody()).toEqual({ code: 'INVALID_REQUEST', message: 'duplicate JSON object key', field: 'a.b' });
    expect(server.cause).toBe(sdkError);
  });

  it('keeps a missing field missing and passes arguments and results through', () => {
    const half = withServerErrors((n: number) => n / 2);
    expect(half(3)).toBe(1.5);
    const error = toServerError(new SdkKakuninError('INVALID_REQUEST', 'not valid JSON', { status: 400 }));
    expect((error as KakuninError).toBody()).toEqual({ code: 'INVALID_REQUEST', message: 'not valid JSON' });
  });

  it('leaves errors it has no server counterpart for unchanged', () => {
    const range = new RangeError('a scope amount is a finite number >= 0');
    const timeout = new SdkKakuninError('TIMEOUT', 'no answer');
    const server = new KakuninError('NOT_FOUND', 'agent not found');
    expect(toServerError(range)).toBe(range);
    expect(toServerError(timeout)).toBe(timeout);
    expect(toServerError(server)).toBe(server);
    expect(toServerError('text')).toBe('text');
  });
});
