/**
 * The one conformance suite every KeyVault adapter must pass (memory, local, KMS). Each adapter's test file calls
 * `describeKeyVaultConformance` with a factory; adapter-specific checks live next to it in that file.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ecdsaDerToRaw } from '../../../../src/core/crypto/ecdsa-format.js';
import { verifySignature } from '../../../../src/core/crypto/verify-signature.js';
import { type ErrorCode, KakuninError } from '../../../../src/core/errors.js';
import type { KeySpec } from '../../../../src/core/model.js';
import type { KeyTags, KeyVault, SigningAlgorithm } from '../../../../src/ports.js';

export interface VaultUnderTest {
  vault: KeyVault;
  /** The tags the backend recorded for a key (sidecar, CreateKey input, …), in the port's shape. */
  recordedTags(keyId: string): Promise<KeyTags | undefined>;
  /** A well-formed id of a key that does not exist in this vault. */
  unknownKeyId: string;
}

interface SpecCase {
  spec: KeySpec;
  algorithm: SigningAlgorithm;
  wrongAlgorithm: SigningAlgorithm;
  keyType: 'ec' | 'rsa';
  size: string | number;
}

const CASES: SpecCase[] = [
  {
    spec: 'ECC_NIST_P256',
    algorithm: 'ECDSA_SHA_256',
    wrongAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    keyType: 'ec',
    size: 'prime256v1',
  },
  {
    spec: 'RSA_2048',
    algorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    wrongAlgorithm: 'ECDSA_SHA_256',
    keyType: 'rsa',
    size: 2048,
  },
  {
    spec: 'RSA_4096',
    algorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    wrongAlgorithm: 'ECDSA_SHA_256',
    keyType: 'rsa',
    size: 4096,
  },
];

const AGENT_TAGS: KeyTags = { tenantId: 't_conformance', purpose: 'agent', agentId: 'a_0123456789abcdef' };
const CA_TAGS: KeyTags = { tenantId: 't_conformance', purpose: 'issuing-ca' };
const CHECKPOINT_TAGS: KeyTags = { tenantId: 'deployment', purpose: 'checkpoint' };
const encoder = new TextEncoder();

export async function expectKakuninError(promise: Promise<unknown>, code: ErrorCode): Promise<KakuninError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KakuninError);
  expect((error as KakuninError).code).toBe(code);
  return error as KakuninError;
}

export function describeKeyVaultConformance(name: string, setup: () => Promise<VaultUnderTest>): void {
  describe(`KeyVault conformance: ${name}`, () => {
    let subject: VaultUnderTest;
    // One key per spec, created in parallel up front: RSA_4096 generation takes seconds, one key is enough.
    const keyIds = new Map<KeySpec, string>();

    beforeAll(async () => {
      subject = await setup();
      const ids = await Promise.all(
        CASES.map((c) => subject.vault.createKey(c.spec, c.spec === 'RSA_4096' ? CA_TAGS : AGENT_TAGS)),
      );
      for (const [i, c] of CASES.entries()) keyIds.set(c.spec, ids[i]!);
    });

    describe.each(CASES)('$spec', (c) => {
      const keyId = () => keyIds.get(c.spec)!;

      it('has a public key of the right type and size (SPKI DER)', async () => {
        const spki = await subject.vault.getPublicKey(keyId());
        const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
        expect(key.asymmetricKeyType).toBe(c.keyType);
        const details = key.asymmetricKeyDetails;
        expect(c.keyType === 'ec' ? details?.namedCurve : details?.modulusLength).toBe(c.size);
        expect(await subject.vault.getPublicKey(keyId())).toEqual(spki);
      });

      it('signs SHA-256(message) so that the signature verifies over the message', async () => {
        const message = encoder.encode(`{"action":"charge","spec":"${c.spec}"}`);
        const signature = await subject.vault.sign(keyId(), message, c.algorithm);
        const spki = await subject.vault.getPublicKey(keyId());
        expect(verifySignature(spki, message, signature)).toBe(true);
        if (c.keyType === 'ec') {
          expect(signature[0]).toBe(0x30); // DER SEQUENCE, exactly as KMS returns it
          expect(ecdsaDerToRaw(signature)).toHaveLength(64);
        } else {
          expect(signature).toHaveLength((c.size as number) / 8);
        }
      });

      it('signatures fail on a tampered message or a tampered signature', async () => {
        const message = encoder.encode('pay 100 EUR to stripe');
        const signature = await subject.vault.sign(keyId(), message, c.algorithm);
        const spki = await subject.vault.getPublicKey(keyId());
        expect(verifySignature(spki, encoder.encode('pay 900 EUR to stripe'), signature)).toBe(false);
        const flipped = new Uint8Array(signature);
        flipped[flipped.length - 1]! ^= 0x01;
        expect(verifySignature(spki, message, flipped)).toBe(false);
      });

      it('rejects an algorithm that does not fit the key', async () => {
        await expectKakuninError(subject.vault.sign(keyId(), encoder.encode('x'), c.wrongAlgorithm), 'INVALID_REQUEST');
      });
    });

    it('signs the empty message and messages far above KMS RAW 4 KiB cap', async () => {
      const keyId = keyIds.get('ECC_NIST_P256')!;
      const spki = await subject.vault.getPublicKey(keyId);
      for (const message of [new Uint8Array(0), new Uint8Array(256 * 1024).fill(0x61)]) {
        const signature = await subject.vault.sign(keyId, message, 'ECDSA_SHA_256');
        expect(verifySignature(spki, message, signature)).toBe(true);
      }
    });

    it('keeps keys apart: a signature by one key does not verify under another', async () => {
      const other = await subject.vault.createKey('ECC_NIST_P256', AGENT_TAGS);
      const first = keyIds.get('ECC_NIST_P256')!;
      expect(other).not.toBe(first);
      const message = encoder.encode('hello');
      const signature = await subject.vault.sign(first, message, 'ECDSA_SHA_256');
      expect(verifySignature(await subject.vault.getPublicKey(other), message, signature)).toBe(false);
    });

    it('scheduleDeletion retires a key: it signs nothing afterwards, and the other keys are untouched', async () => {
      const doomed = await subject.vault.createKey('ECC_NIST_P256', AGENT_TAGS);
      await subject.vault.sign(doomed, encoder.encode('before'), 'ECDSA_SHA_256');
      await subject.vault.scheduleDeletion(doomed);
      const after = await subject.vault.sign(doomed, encoder.encode('after'), 'ECDSA_SHA_256').catch((e: unknown) => e);
      expect(after).toBeInstanceOf(KakuninError);
      const kept = keyIds.get('ECC_NIST_P256')!;
      await expect(subject.vault.sign(kept, encoder.encode('still'), 'ECDSA_SHA_256')).resolves.toBeInstanceOf(
        Uint8Array,
      );
    });

    it('answers NOT_FOUND for an unknown key id', async () => {
      await expectKakuninError(subject.vault.getPublicKey(subject.unknownKeyId), 'NOT_FOUND');
      await expectKakuninError(
        subject.vault.sign(subject.unknownKeyId, encoder.encode('x'), 'ECDSA_SHA_256'),
        'NOT_FOUND',
      );
      await expectKakuninError(subject.vault.getPublicKey(''), 'NOT_FOUND');
    });

    it('Ed25519 (the checkpoint key): SPKI of 44 bytes, PureEdDSA over the message, RAW cap, no other algorithm', async () => {
      const keyId = await subject.vault.createKey('ECC_NIST_EDWARDS25519', CHECKPOINT_TAGS);
      const spki = await subject.vault.getPublicKey(keyId);
      expect(spki).toHaveLength(44);
      const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      expect(publicKey.asymmetricKeyType).toBe('ed25519');
      const message = encoder.encode('example.com/kakunin/t_1\n3\nAAAA\n');
      const signature = await subject.vault.sign(keyId, message, 'ED25519');
      expect(signature).toHaveLength(64);
      expect(verify(null, message, publicKey, signature)).toBe(true);
      expect(verify(null, encoder.encode('other'), publicKey, signature)).toBe(false);
      // Deterministic (RFC 8032): the same message signs to the same bytes.
      expect(await subject.vault.sign(keyId, message, 'ED25519')).toEqual(signature);
      await expectKakuninError(subject.vault.sign(keyId, message, 'ECDSA_SHA_256'), 'INVALID_REQUEST');
      await expectKakuninError(subject.vault.sign(keyId, new Uint8Array(4097), 'ED25519'), 'INVALID_REQUEST');
      await expectKakuninError(subject.vault.sign(keyIds.get('ECC_NIST_P256')!, message, 'ED25519'), 'INVALID_REQUEST');
      expect(await subject.recordedTags(keyId)).toEqual(CHECKPOINT_TAGS);
    });

    it('records the tags naming tenant, purpose and agent', async () => {
      expect(await subject.recordedTags(keyIds.get('ECC_NIST_P256')!)).toEqual(AGENT_TAGS);
      expect(await subject.recordedTags(keyIds.get('RSA_4096')!)).toEqual(CA_TAGS);
    });
  });
}

/** SHA-256 helper shared by the adapter tests. */
export const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();
