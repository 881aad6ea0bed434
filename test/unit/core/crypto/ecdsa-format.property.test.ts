/**
 * Property tests of the DER ↔ raw r‖s ECDSA conversion (src/core/crypto/ecdsa-format.ts). A wrong conversion makes
 * certificates signed through KMS silently invalid, so the conversion is checked against an independent DER encoder
 * and against node:crypto's own two encodings of the same signature.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ecdsaDerToRaw, ecdsaRawToDer } from '../../../../src/core/crypto/ecdsa-format.js';
import { bigIntToBytes, bytesToBigInt, encodeEcdsaDer, P256_N } from '../../adapters/key-vault/digest-signer.js';

/** r and s in [1, n-1], weighted towards the encodings' edge cases. */
const scalar = fc.oneof(
  fc.bigInt({ min: 1n, max: P256_N - 1n }),
  // High bit set: DER needs a 0x00 pad byte.
  fc.bigInt({ min: 1n << 255n, max: P256_N - 1n }),
  // Short values: raw keeps leading zero bytes, DER drops them.
  fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
  fc.constantFrom(1n, 0x7fn, 0x80n, 0xffn, 0x100n, P256_N - 1n),
);

/** A 32-byte big-endian value with 0–31 leading zero bytes and a nonzero remainder. */
const paddedScalarBytes = fc
  .tuple(fc.integer({ min: 0, max: 31 }), fc.uint8Array({ minLength: 32, maxLength: 32 }))
  .map(([zeros, bytes]) => {
    const out = new Uint8Array(bytes);
    out.fill(0, 0, zeros);
    out[31] ||= 1;
    return out;
  });

const raw = (r: bigint, s: bigint) => new Uint8Array(Buffer.concat([bigIntToBytes(r, 32), bigIntToBytes(s, 32)]));

describe('ECDSA DER ↔ raw conversion', () => {
  it('raw → DER is the minimal DER encoding, and DER → raw gives the raw bytes back', () => {
    fc.assert(
      fc.property(scalar, scalar, (r, s) => {
        const der = ecdsaRawToDer(raw(r, s));
        expect(Buffer.from(der)).toEqual(encodeEcdsaDer(r, s));
        expect(ecdsaDerToRaw(der)).toEqual(raw(r, s));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips random 32-byte values with leading zero bytes', () => {
    fc.assert(
      fc.property(paddedScalarBytes, paddedScalarBytes, (r, s) => {
        const input = new Uint8Array([...r, ...s]);
        const der = ecdsaRawToDer(input);
        expect(Buffer.from(der)).toEqual(encodeEcdsaDer(bytesToBigInt(r), bytesToBigInt(s)));
        expect(ecdsaDerToRaw(der)).toEqual(input);
      }),
      { numRuns: 500 },
    );
  });

  it("node's DER signatures convert to raw that verifies as IEEE P1363, and back to the same DER", () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (message) => {
        const der = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
        const converted = ecdsaDerToRaw(der);
        expect(converted).toHaveLength(64);
        expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, converted)).toBe(true);
        expect(Buffer.from(ecdsaRawToDer(converted))).toEqual(der);
        const p1363 = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
        expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, ecdsaRawToDer(p1363))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses raw signatures that are not exactly 64 bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 130 }).filter((b) => b.length !== 64),
        (bytes) => {
          expect(() => ecdsaRawToDer(bytes)).toThrow();
        },
      ),
    );
  });

  it('DER → raw on arbitrary bytes either throws or yields 64 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        let out: Uint8Array | undefined;
        try {
          out = ecdsaDerToRaw(bytes);
        } catch {
          return;
        }
        expect(out).toHaveLength(64);
      }),
      { numRuns: 2000 },
    );
  });

  it('DER → raw never truncates: a SEQUENCE of two INTEGERs converts to their values or throws', () => {
    // Lengths drawn explicitly (fast-check's default size bias would rarely reach past 32 bytes).
    const integerBody = fc
      .integer({ min: 1, max: 40 })
      .chain((length) => fc.uint8Array({ minLength: length, maxLength: length }));
    let converted = 0;
    let refused = 0;
    fc.assert(
      fc.property(integerBody, integerBody, (r, s) => {
        const der = Buffer.concat([
          Buffer.from([0x30, r.length + s.length + 4, 0x02, r.length]),
          r,
          Buffer.from([0x02, s.length]),
          s,
        ]);
        let out: Uint8Array;
        try {
          out = ecdsaDerToRaw(der);
        } catch {
          refused += 1;
          return;
        }
        converted += 1;
        expect(out).toHaveLength(64);
        expect(bytesToBigInt(out.subarray(0, 32))).toBe(bytesToBigInt(r));
        expect(bytesToBigInt(out.subarray(32))).toBe(bytesToBigInt(s));
      }),
      { numRuns: 2000 },
    );
    // Both branches must actually be exercised for the property to mean anything.
    expect(converted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
