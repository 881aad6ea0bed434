/**
 * The state of an agent certificate at an instant, considering its ancestors (docs/api.md §3: revoking a certificate
 * invalidates every certificate below it). Pure: the caller loads the record and its ancestors in one batch read.
 */
import type { CertificateRecord } from '../model.js';
import type { CertificateState } from '../services.js';
import { ancestorFingerprints } from '../verification/certificate-check.js';

/**
 * Revocation wins over time-based states (a revoked certificate is reported revoked even after it expired).
 * An ancestor listed on the record but missing from `ancestors` means the store is inconsistent; the answer is
 * `parent_revoked`, because a chain we cannot check must not be called valid (fail closed). The ancestors checked are
 * the stored path plus `parentFingerprint` (as the verifier checks them), each in the record's own tenant.
 */
export function certificateState(
  record: CertificateRecord,
  ancestors: CertificateRecord[],
  now: number,
): CertificateState {
  if (record.status === 'revoked') return { valid: false, status: 'revoked', reason: 'revoked' };
  const found = new Map(ancestors.map((ancestor) => [ancestor.fingerprint, ancestor]));
  for (const fingerprint of ancestorFingerprints(record)) {
    const ancestor = found.get(fingerprint);
    if (ancestor === undefined || ancestor.tenantId !== record.tenantId || ancestor.status !== 'active') {
      return { valid: false, status: 'revoked', reason: 'parent_revoked' };
    }
  }
  if (now > record.notAfter) return { valid: false, status: 'expired', reason: 'expired' };
  if (now < record.notBefore) return { valid: false, status: 'active', reason: 'not_yet_valid' };
  return { valid: true, status: 'active' };
}
