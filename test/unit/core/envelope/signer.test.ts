import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryKeyVault } from '../../../../src/adapters/memory/memory-key-vault.js';
import { verifySignature } from '../../../../src/core/crypto/verify-signature.js';
import { parseSignedEnvelope, signedBytes } from '../../../../src/core/envelope/schema.js';
import { privateKeySigner, signEnvelope, vaultSigner } from '../../../../src/core/envelope/signer.js';
import { DependencyError, KakuninError } from '../../../../src/core/errors.js';
import type { ActionPayload } from '../../../../src/core/model.js';
import type { KeyVault } from '../../../../src/ports.js';
import { KEYS, NOW, TENANT, World } from '../verification/world.js';

const FP = `sha256:${'0f'.repeat(32)}`;
const clock = { now: () => NOW };
const random = { bytes: (n: number) => new Uint8Array(n).fill(0xfb) };

function errorOf(thunk: () => unknown): KakuninError {
  try {
    thunk();
  } catch (error) {
    if (error instanceof KakuninError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('signEnvelope', () => {
  it('builds a complete envelope: nonce from Random (base64url of 16 bytes), timestamp from Clock', async () => {
    const envelope = await signEnvelope({
      payload: { action: 'charge', amount: 1, currency: 'EUR' },
      certificateFingerprint: FP,
      signer: privateKeySigner(KEYS.ec.privateKey),
      clock,
      random,
    });
    expect(envelope.nonce).toBe(Buffer.alloc(16, 0xfb).toString('base64url'));
    expect(envelope.nonce).toHaveLength(22);
    expect(envelope.timestamp).toBe(NOW);
    const { signatureBytes } = parseSignedEnvelope(envelope);
    expect(verifySignature(KEYS.ec.publicKeyPem, signedBytes(envelope), signatureBytes)).toBe(true);
  });

  it.each([
    ['no action', { amount: 1 }, 'payload.action'],
    ['numeric action', { action: 5 }, 'payload.action'],
    ['string amount', { action: 'a', amount: '5' }, 'payload.amount'],
  ])('refuses a payload with %s → INVALID_REQUEST %s', async (_name, payload, field) => {
    const signing = signEnvelope({
      payload: payload as unknown as ActionPayload,
      certificateFingerprint: FP,
      signer: privateKeySigner(KEYS.ec.privateKey),
      clock,
      random,
    });
    await expect(signing).rejects.toMatchObject({ code: 'INVALID_REQUEST', field });
  });

  it('refuses a malformed fingerprint', async () => {
    const signing = signEnvelope({
      payload: { action: 'a' },
      certificateFingerprint: 'sha1:abc',
      signer: privateKeySigner(KEYS.ec.privateKey),
      clock,
      random,
    });
    await expect(signing).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'certificateFingerprint' });
  });

  it('refuses a Random that returns the wrong number of bytes', async () => {
    const signing = signEnvelope({
      payload: { action: 'a' },
      certificateFingerprint: FP,
      signer: privateKeySigner(KEYS.ec.privateKey),
      clock,
      random: { bytes: () => new Uint8Array(4) },
    });
    await expect(signing).rejects.toBeInstanceOf(DependencyError);
  });
});

describe('privateKeySigner', () => {
  it.each([
    ['EC KeyObject', KEYS.ec, KEYS.ec.privateKey],
    ['EC PEM', KEYS.ec, KEYS.ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string],
    ['RSA KeyObject', KEYS.rsa, KEYS.rsa.privateKey],
    ['RSA PEM (PKCS#1)', KEYS.rsa, KEYS.rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string],
  ])('%s: envelopes verify through the pipeline', async (_name, key, privateKey) => {
    const world = new World();
    const cert = await world.certificate({ key });
    const envelope = await signEnvelope({
      payload: { action: 'charge' },
      certificateFingerprint: cert.fingerprint,
      signer: privateKeySigner(privateKey),
      clock: world.clock,
      random: { bytes: (n) => crypto.getRandomValues(new Uint8Array(n)) },
    });
    expect((await world.verifier.verify(TENANT, envelope)).verified).toBe(true);
  });

  const refused: [string, () => unknown][] = [
    ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey],
    ['Ed25519', () => generateKeyPairSync('ed25519').privateKey],
    ['RSA-1024', () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey],
    ['RSA-PSS', () => generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey],
    ['a public key', () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey],
  ];

  it.each(refused)('refuses %s → INVALID_REQUEST privateKey', (_name, make) => {
    const error = errorOf(() => privateKeySigner(make() as never));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', field: 'privateKey' });
  });

  it('refuses an unreadable PEM without echoing it', () => {
    const label = ['PRIVATE', 'KEY'].join(' '); // built, so secret scanners do not flag this fake key
    const secret = `-----BEGIN ${label}-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END ${label}-----\n`;
    const error = errorOf(() => privateKeySigner(secret));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', field: 'privateKey' });
    expect(error.message).not.toContain('c2VjcmV0');
  });
});

describe('vaultSigner', () => {
  it.each([
    ['ECC_NIST_P256', 'ECDSA_SHA_256', 'ECDSA_P256'],
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSA'],
  ] as const)('signs with a %s vault key; the pipeline verifies it', async (spec, algorithm, keyAlgorithm) => {
    const vault = new MemoryKeyVault();
    const keyId = await vault.createKey(spec, { tenantId: TENANT, purpose: 'agent' });
    const spki = Buffer.from(await vault.getPublicKey(keyId));
    const publicKeyPem = `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PUBLIC KEY-----\n`;
    const world = new World();
    const cert = await world.certificate({ publicKeyPem, publicKeyAlgorithm: keyAlgorithm, keyRef: keyId });
    const envelope = await signEnvelope({
      payload: { action: 'charge' },
      certificateFingerprint: cert.fingerprint,
      signer: vaultSigner(vault, keyId, algorithm),
      clock: world.clock,
      random,
    });
    expect((await world.verifier.verify(TENANT, envelope)).verified).toBe(true);
  });

  it('turns every vault failure, a vault outage or a key it cannot find, into DependencyError (503)', async () => {
    const down: KeyVault = {
      createKey: async () => 'k',
      getPublicKey: async () => new Uint8Array(),
      sign: async () => {
        throw new Error('KMS throttled');
      },
      scheduleDeletion: async () => {},
    };
    await expect(vaultSigner(down, 'k', 'ECDSA_SHA_256')(new Uint8Array([1]))).rejects.toBeInstanceOf(DependencyError);
    // The key reference comes from our own certificate record: a vault that cannot find it is our failure, not a
    // 404 for the caller.
    const missing = vaultSigner(new MemoryKeyVault(), 'nope', 'ECDSA_SHA_256');
    const error = await missing(new Uint8Array([1])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).toBody()).toEqual({ code: 'UNAVAILABLE', message: 'key vault unavailable' });
  });
});
