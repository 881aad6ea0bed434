/** A verification failure as the contract reports it: `{code, message, field?}` (docs/api.md §4). */
import type { VerificationCode } from '../errors.js';

export interface Rejection {
  code: VerificationCode;
  message: string;
  field?: string;
}

export function reject(code: VerificationCode, message: string, field?: string): Rejection {
  return field === undefined ? { code, message } : { code, message, field };
}
