import { createHash } from 'node:crypto';

/** Contract §1: `sha256:` + 64 lowercase hex digits of the SHA-256 of the certificate's DER. */
export const FINGERPRINT_PATTERN = /^sha256:[0-9a-f]{64}$/;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

/** DER of the first certificate in a PEM text. @throws TypeError when there is none. */
export function pemToDer(pem: string): Uint8Array {
  const match = PEM_CERTIFICATE.exec(pem);
  if (match?.[1] === undefined) throw new TypeError('no PEM certificate found');
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
}

/**
 * The contract fingerprint of a certificate, from its PEM text or DER bytes.
 * @example fingerprintOf(readFileSync('/var/certs/cert.pem', 'utf8')) // 'sha256:3f…'
 */
export function fingerprintOf(certificate: string | Uint8Array): string {
  const der = typeof certificate === 'string' ? pemToDer(certificate) : certificate;
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}
