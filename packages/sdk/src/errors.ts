/**
 * The one error the SDK throws for a failed call (docs/api.md §1, §10). `status` is the HTTP status the service answered
 * (0 when no answer arrived: network failure or timeout), `code` the contract code (`INVALID_REQUEST`, `NOT_FOUND`…,
 * or `UNAVAILABLE` / `TIMEOUT` for calls that never got an answer), `field` the offending JSON path when one applies.
 */
export type KakuninErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_CSR'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'SCOPE_EXCEEDS_PARENT'
  | 'AGENT_SUSPENDED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | VerificationCode
  // A code a newer service may answer that this SDK version does not know yet.
  | (string & {});

/** Codes of docs/api.md §4 (and REVOCATION_STATUS_UNKNOWN, which only the offline verifier answers, §10). */
export const VERIFICATION_CODES = [
  'CERTIFICATE_UNKNOWN',
  'CERTIFICATE_REVOKED',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_YET_VALID',
  'AGENT_SUSPENDED',
  'SIGNATURE_INVALID',
  'TIMESTAMP_OUT_OF_WINDOW',
  'REPLAY_DETECTED',
  'SCOPE_VIOLATION',
  'VELOCITY_LIMIT_EXCEEDED',
  'RISK_THRESHOLD_EXCEEDED',
  'REVOCATION_STATUS_UNKNOWN',
] as const;
export type VerificationCode = (typeof VERIFICATION_CODES)[number];

export interface KakuninErrorOptions {
  status?: number;
  field?: string | undefined;
  cause?: unknown;
  /** Request id or similar detail for support; never key material. */
  requestId?: string | undefined;
}

export class KakuninError extends Error {
  override readonly name = 'KakuninError';
  readonly code: KakuninErrorCode;
  /** HTTP status of the answer; 0 when none arrived (network failure, timeout). */
  readonly status: number;
  readonly field: string | undefined;
  readonly requestId: string | undefined;

  constructor(code: KakuninErrorCode, message: string, options: KakuninErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 0;
    this.field = options.field;
    this.requestId = options.requestId;
  }

  /** The contract's error body shape (§1). */
  toJSON(): { code: string; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

/** An input error raised inside the SDK before any call (status 400, as the service would answer). */
export const invalidInput = (message: string, field?: string): KakuninError =>
  new KakuninError('INVALID_REQUEST', message, { status: 400, field });
