/**
 * RSA key policy: a public exponent of 1 makes every signature forgeable (the PKCS#1 encoding of the digest IS the
 * signature), so neither CSR intake, nor the verifier, nor the signer may accept one; nor an even or tiny exponent.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyPublicKey, readCsr } from '../../../../src/core/ca/csr.js';
import { agentKeyKind, isSaneRsaExponent } from '../../../../src/core/crypto/key-policy.js';
import { verifySignature } from '../../../../src/core/crypto/verify-signature.js';
import { privateKeySigner } from '../../../../src/core/envelope/signer.js';
import { KakuninError } from '../../../../src/core/errors.js';
import { forgedE1Csr, forgedE1Signature, rsaKeyWithExponent } from './rsa-exponent-fixtures.js';

const message = new TextEncoder().encode('{"nonce":"forged","payload":{"action":"charge","amount":1e6}}');

describe('RSA public exponent policy', () => {
  it('the forged e = 1 signature really is valid RSA maths (node would accept it without the policy)', () => {
    const key = rsaKeyWithExponent(1n);
    expect(key.asymmetricKeyDetails?.publicExponent).toBe(1n);
    expect(agentKeyKind(key)).toBeUndefined();
  });

  it('verifySignature refuses a forged signature under an e = 1 key', () => {
    expect(verifySignature(rsaKeyWithExponent(1n), message, forgedE1Signature(message))).toBe(false);
  });

  it.each([1n, 2n, 3n, 17n, 65_536n, 65_538n, 1n << 256n, (1n << 256n) + 1n])('refuses exponent %s', (e) => {
    expect(isSaneRsaExponent(e)).toBe(false);
    const spki = new Uint8Array(rsaKeyWithExponent(e).export({ format: 'der', type: 'spki' }));
    expect(classifyPublicKey(spki)).toBeUndefined();
  });

  it.each([65_537n, 65_539n, (1n << 256n) - 1n])('accepts odd exponent %s in (2^16, 2^256)', (e) => {
    expect(isSaneRsaExponent(e)).toBe(true);
    const spki = new Uint8Array(rsaKeyWithExponent(e).export({ format: 'der', type: 'spki' }));
    expect(classifyPublicKey(spki)).toBe('RSA');
  });

  it('a CSR for an e = 1 key, whose self-signature verifies without any private key, is INVALID_CSR', async () => {
    const outcome = await readCsr(forgedE1Csr()).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(KakuninError);
    expect((outcome as KakuninError).code).toBe('INVALID_CSR');
    expect((outcome as KakuninError).message).toMatch(/exponent/);
  });

  it('the signer refuses an RSA private key with e = 3', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });
    expect(() => privateKeySigner(privateKey)).toThrow(/exponent/);
  });

  it('a normal e = 65537 key still signs and verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signature = await privateKeySigner(privateKey)(message);
    expect(verifySignature(publicKey, message, signature)).toBe(true);
  });
});
