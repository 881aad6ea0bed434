import { createHash } from 'node:crypto';

/** Contract §1: `sha256:` + 64 lowercase hex digits of the SHA-256 of the certificate's DER. */
export function certificateFingerprint(der: Uint8Array): string {
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

export const FINGERPRINT_PATTERN = /^sha256:[0-9a-f]{64}$/;
