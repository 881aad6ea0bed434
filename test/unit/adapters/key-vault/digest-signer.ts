/**
 * Signing a precomputed SHA-256 digest with node:crypto keys, as KMS does for `MessageType: 'DIGEST'`. The fake KMS
 * uses this so it sees only the digest, never the message, and its signatures must still verify over the message.
 *
 * node:crypto cannot ECDSA-sign a digest (crypto.sign(null, …) hashes again), so ECDSA is done here from the
 * definition (SEC 1 §4.1.3): r = x(k·G) mod n, s = k⁻¹(z + r·d) mod n. The point multiplication k·G is node's own:
 * an ECDH object whose private key is k has k·G as its public key. Test-only: BigInt arithmetic is not constant time.
 * RSA: PKCS#1 v1.5 type-1 padding over DigestInfo(SHA-256) ‖ digest via privateEncrypt (RFC 8017 §9.2).
 */
import { constants, createECDH, type KeyObject, privateEncrypt, randomBytes } from 'node:crypto';

/** Order of the P-256 base point. */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

export function bigIntToBytes(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** Minimal DER INTEGER for a positive value (a 0x00 pad when the high bit is set). */
function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let body = Buffer.from(hex, 'hex');
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02, body.length]), body]);
}

/** DER `SEQUENCE { r, s }`, written independently of the code under test. */
export function encodeEcdsaDer(r: bigint, s: bigint): Buffer {
  const content = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, content.length]), content]);
}

/** ECDSA P-256 over a 32-byte digest; DER output, like KMS. */
export function ecdsaSignDigest(privateKey: KeyObject, digest: Uint8Array): Buffer {
  const jwkD = privateKey.export({ format: 'jwk' }).d;
  if (jwkD === undefined) throw new Error('not an EC private key');
  const d = bytesToBigInt(Buffer.from(jwkD, 'base64url'));
  const z = bytesToBigInt(digest); // 256-bit digest, 256-bit order: no truncation.
  for (;;) {
    const k = (bytesToBigInt(randomBytes(48)) % (P256_N - 1n)) + 1n;
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(bigIntToBytes(k, 32));
    const x = bytesToBigInt(ecdh.getPublicKey().subarray(1, 33));
    const r = x % P256_N;
    if (r === 0n) continue;
    const s = (modPow(k, P256_N - 2n, P256_N) * (z + r * d)) % P256_N;
    if (s === 0n) continue;
    return encodeEcdsaDer(r, s);
  }
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over a 32-byte digest. */
export function rsaSignDigest(privateKey: KeyObject, digest: Uint8Array): Buffer {
  return privateEncrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.concat([SHA256_DIGEST_INFO, digest]),
  );
}
