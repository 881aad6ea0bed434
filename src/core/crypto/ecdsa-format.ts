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

/** Order of the P-256 group: valid r and s lie in [1, n). */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

/** Raw r‖s (64 bytes for P-256) → DER. Refuses r or s outside [1, n), which no valid signature has. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw new Error('a raw P-256 signature is 64 bytes');
  for (const half of [raw.subarray(0, 32), raw.subarray(32)]) {
    const value = toBigInt(half);
    if (value === 0n || value >= P256_ORDER) throw new Error('r and s must lie in [1, n)');
  }
  const der = formatter.toAsnSignature(P256, new Uint8Array(raw));
  if (der === null) throw new Error('cannot encode ECDSA signature');
  return new Uint8Array(der);
}
