/**
 * ECDSA signatures come in two encodings: DER `SEQUENCE { r INTEGER, s INTEGER }` (KMS, OpenSSL, our envelopes) and
 * raw fixed-width r‖s (WebCrypto, which @peculiar/x509 signs through). Mixing them up produces certificates that are
 * silently invalid, so every crossing goes through these two functions. The ASN.1 work is @peculiar/x509's formatter.
 */
import 'reflect-metadata';
import { AsnEcSignatureFormatter } from '@peculiar/x509';

const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const formatter = new AsnEcSignatureFormatter();

/** DER → raw r‖s (64 bytes for P-256). Throws on malformed DER. */
export function ecdsaDerToRaw(der: Uint8Array): Uint8Array {
  const raw = formatter.toWebSignature(P256, new Uint8Array(der));
  if (raw === null) throw new Error('not an ECDSA P-256 DER signature');
  return new Uint8Array(raw);
}

/** Raw r‖s (64 bytes for P-256) → DER. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw new Error('a raw P-256 signature is 64 bytes');
  const der = formatter.toAsnSignature(P256, new Uint8Array(raw));
  if (der === null) throw new Error('cannot encode ECDSA signature');
  return new Uint8Array(der);
}
