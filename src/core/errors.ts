/**
 * One error hierarchy for the whole domain. Every error carries a contract code (docs/api.md §1–§4) and the HTTP status
 * the edge maps it to; handlers never invent codes of their own.
 */
export const ERROR_STATUS = {
  INVALID_REQUEST: 400,
  INVALID_CSR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  SCOPE_EXCEEDS_PARENT: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  // Verification failures (docs/api.md §4): answered as 403 {"verified": false, "error": {...}}.
  CERTIFICATE_UNKNOWN: 403,
  CERTIFICATE_REVOKED: 403,
  CERTIFICATE_EXPIRED: 403,
  CERTIFICATE_NOT_YET_VALID: 403,
  AGENT_SUSPENDED: 403,
  SIGNATURE_INVALID: 403,
  TIMESTAMP_OUT_OF_WINDOW: 403,
  REPLAY_DETECTED: 403,
  SCOPE_VIOLATION: 403,
  VELOCITY_LIMIT_EXCEEDED: 403,
  RISK_THRESHOLD_EXCEEDED: 403,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

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
] as const satisfies readonly ErrorCode[];
export type VerificationCode = (typeof VERIFICATION_CODES)[number];

export class KakuninError extends Error {
  override readonly name: string = 'KakuninError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.field = options.field;
  }

  /** The contract's error body; never includes the cause (it may hold internals). */
  toBody(): { code: ErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

/** A dependency (store, KMS, stream) failed: the request must have no effect and answers 503. */
export class DependencyError extends KakuninError {
  override readonly name = 'DependencyError';
  constructor(message: string, cause?: unknown) {
    super('UNAVAILABLE', message, { cause });
  }
}

export const invalidRequest = (message: string, field?: string): KakuninError =>
  new KakuninError('INVALID_REQUEST', message, field === undefined ? {} : { field });

export const notFound = (what: string): KakuninError => new KakuninError('NOT_FOUND', `${what} not found`);
