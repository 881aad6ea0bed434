/**
 * Wycheproof conformance of the action-signature verifier (src/core/crypto/verify-signature.ts) and of the raw→DER
 * ECDSA conversion (src/core/crypto/ecdsa-format.ts). Every `valid` vector must verify, every `invalid` one must not;
 * `acceptable` may go either way and is only counted. One deliberate exception, stricter than Wycheproof: `valid`
 * vectors flagged `SmallPublicKey` (e = 3; Wycheproof's note: WEAK_PARAMS, "libraries may reject RSA keys with smaller
 * exponents") MUST be rejected, because key policy requires 2^16 < e < 2^256 (src/core/crypto/key-policy.ts); they
 * are counted as `policyRejected` and their number is asserted. Public keys are built from the vectors' DER, and the PEM and
 * JWK forms are checked to describe the same key.
 */
import { createPublicKey, type KeyObject, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ecdsaDerToRaw, ecdsaRawToDer } from '../../../../src/core/crypto/ecdsa-format.js';
import { verifySignature } from '../../../../src/core/crypto/verify-signature.js';

interface WycheproofTest {
  tcId: number;
  comment: string;
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags?: string[];
}

interface WycheproofGroup {
  publicKeyDer: string;
  publicKeyPem: string;
  publicKeyJwk?: Record<string, string>;
  keyJwk?: Record<string, string>;
  sha: string;
  tests: WycheproofTest[];
}

interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: WycheproofGroup[];
}

interface Tally {
  tested: number;
  valid: number;
  invalid: number;
  acceptableAccepted: number;
  acceptableRejected: number;
  /** `valid` vectors with an exponent key policy refuses (flag SmallPublicKey), each rejected as policy demands. */
  policyRejected: number;
  /** Rejections that came from an exception (e.g. a raw signature of the wrong length) rather than `false`. */
  thrown: number;
  failures: number[];
}

const load = (name: string): WycheproofFile =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/vectors/wycheproof/${name}`, import.meta.url), 'utf8'));

const hex = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'hex'));

function groupKey(group: WycheproofGroup): KeyObject {
  const fromDer = createPublicKey({ key: Buffer.from(group.publicKeyDer, 'hex'), format: 'der', type: 'spki' });
  const spki = (k: KeyObject) => k.export({ format: 'der', type: 'spki' });
  expect(spki(createPublicKey(group.publicKeyPem))).toEqual(spki(fromDer));
  const jwk = group.publicKeyJwk ?? group.keyJwk;
  if (jwk) {
    const { kid: _kid, alg: _alg, ...keyFields } = jwk;
    expect(spki(createPublicKey({ key: keyFields, format: 'jwk' }))).toEqual(spki(fromDer));
  }
  return fromDer;
}

/** `verify` answers whether the signature is accepted; any exception counts as a rejection (fail closed). */
function run(file: WycheproofFile, verify: (key: KeyObject, msg: Uint8Array, sig: Uint8Array) => boolean): Tally {
  const tally: Tally = {
    tested: 0,
    valid: 0,
    invalid: 0,
    acceptableAccepted: 0,
    acceptableRejected: 0,
    policyRejected: 0,
    thrown: 0,
    failures: [],
  };
  for (const group of file.testGroups) {
    expect(group.sha).toBe('SHA-256');
    const key = groupKey(group);
    for (const test of group.tests) {
      let accepted: boolean;
      try {
        accepted = verify(key, hex(test.msg), hex(test.sig));
      } catch {
        accepted = false;
        tally.thrown += 1;
      }
      tally.tested += 1;
      if (test.result === 'valid' && test.flags?.includes('SmallPublicKey')) {
        if (accepted) tally.failures.push(test.tcId);
        else tally.policyRejected += 1;
      } else if (test.result === 'acceptable') {
        if (accepted) tally.acceptableAccepted += 1;
        else tally.acceptableRejected += 1;
      } else if (accepted === (test.result === 'valid')) {
        tally[test.result] += 1;
      } else {
        tally.failures.push(test.tcId);
      }
    }
  }
  return tally;
}

const byDer = (key: KeyObject, msg: Uint8Array, sig: Uint8Array) => verifySignature(key, msg, sig);
const byRaw = (key: KeyObject, msg: Uint8Array, sig: Uint8Array) => verifySignature(key, msg, ecdsaRawToDer(sig));

const SUITES = [
  {
    file: 'ecdsa_secp256r1_sha256_test.json',
    verify: byDer,
    expected: { valid: 174, invalid: 310, acceptable: 0, policyRejected: 0 },
  },
  {
    file: 'ecdsa_secp256r1_sha256_p1363_test.json',
    verify: byRaw,
    expected: { valid: 173, invalid: 89, acceptable: 0, policyRejected: 0 },
  },
  // 9 and 8 `valid` vectors, of which 2 and 1 use e = 3 and are refused by key policy.
  {
    file: 'rsa_signature_2048_sha256_test.json',
    verify: byDer,
    expected: { valid: 7, invalid: 249, acceptable: 1, policyRejected: 2 },
  },
  {
    file: 'rsa_signature_3072_sha256_test.json',
    verify: byDer,
    expected: { valid: 7, invalid: 250, acceptable: 1, policyRejected: 1 },
  },
];

describe('Wycheproof signature vectors', () => {
  it.each(SUITES)('$file: every valid accepted, every invalid rejected', ({ file, verify, expected }) => {
    const vectors = load(file);
    const tally = run(vectors, verify);
    console.info(
      `wycheproof ${file}: ${tally.tested} tests, ${tally.valid} valid accepted, ${tally.invalid} invalid rejected, ` +
        `acceptable ${tally.acceptableAccepted} accepted / ${tally.acceptableRejected} rejected, ` +
        `${tally.policyRejected} small-exponent valid rejected by key policy, ` +
        `${tally.thrown} rejected by exception, failures [${tally.failures.join(',')}]`,
    );
    expect(tally.failures).toEqual([]);
    expect(tally.tested).toBe(vectors.numberOfTests);
    expect(tally.valid).toBe(expected.valid);
    expect(tally.invalid).toBe(expected.invalid);
    expect(tally.acceptableAccepted + tally.acceptableRejected).toBe(expected.acceptable);
    expect(tally.policyRejected).toBe(expected.policyRejected);
  });

  it('every valid DER vector converts to raw r‖s that verifies as IEEE P1363, and back to the same DER', () => {
    const vectors = load('ecdsa_secp256r1_sha256_test.json');
    let checked = 0;
    for (const group of vectors.testGroups) {
      const key = groupKey(group);
      for (const test of group.tests.filter((t) => t.result === 'valid')) {
        const raw = ecdsaDerToRaw(hex(test.sig));
        expect(raw, `tcId ${test.tcId}`).toHaveLength(64);
        expect(nodeVerify('sha256', hex(test.msg), { key, dsaEncoding: 'ieee-p1363' }, raw), `tcId ${test.tcId}`).toBe(
          true,
        );
        expect(Buffer.from(ecdsaRawToDer(raw)).toString('hex'), `tcId ${test.tcId}`).toBe(test.sig);
        checked += 1;
      }
    }
    expect(checked).toBe(174);
  });
});
