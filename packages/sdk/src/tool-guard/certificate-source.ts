/**
 * Where a guard gets the certificate fingerprint it signs under: given directly, or read from a mounted PEM file (a
 * Kubernetes secret volume). The file is re-read after `refreshMs`, so a rotated certificate is picked up without a
 * restart, and a read failure is never cached.
 */
import { readFile } from 'node:fs/promises';
import { FINGERPRINT_PATTERN, fingerprintOf } from '../crypto/fingerprint.js';
import { KakuninError } from '../errors.js';

/** The fingerprint to sign under, and the certificate itself when it was read from a file (for offline checks). */
export interface SigningCertificate {
  fingerprint: string;
  pem?: string;
}

export type FingerprintSource = () => Promise<SigningCertificate>;

export function fingerprintSource(
  options: { certificateFingerprint?: string | undefined; certificatePath?: string | undefined },
  refreshMs = 60_000,
  now: () => number = Date.now,
): FingerprintSource {
  const { certificateFingerprint, certificatePath } = options;
  if (certificateFingerprint !== undefined) {
    if (!FINGERPRINT_PATTERN.test(certificateFingerprint)) {
      throw new TypeError('certificateFingerprint must be sha256: + 64 lowercase hex digits');
    }
    return async () => ({ fingerprint: certificateFingerprint });
  }
  if (certificatePath === undefined) throw new TypeError('ToolGuard needs certificatePath or certificateFingerprint');
  let cached: { certificate: SigningCertificate; readAt: number } | undefined;
  return async () => {
    if (cached !== undefined && now() - cached.readAt < refreshMs) return cached.certificate;
    let pem: string;
    try {
      pem = await readFile(certificatePath, 'utf8');
    } catch (error) {
      throw new KakuninError('INVALID_REQUEST', `cannot read the certificate at ${certificatePath}`, {
        status: 400,
        field: 'certificatePath',
        cause: error,
      });
    }
    let fingerprint: string;
    try {
      fingerprint = fingerprintOf(pem);
    } catch (error) {
      throw new KakuninError('INVALID_REQUEST', `no PEM certificate in ${certificatePath}`, {
        status: 400,
        field: 'certificatePath',
        cause: error,
      });
    }
    cached = { certificate: { fingerprint, pem }, readAt: now() };
    return cached.certificate;
  };
}
