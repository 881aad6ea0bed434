/**
 * kmsSigner through the real @aws-sdk/client-kms command objects, with KMSClient#send answered by the server's fake
 * KMS (aws-sdk-client-mock backed by real node:crypto keys): Sign is called with MessageType DIGEST over SHA-256 of
 * the envelope bytes, and the DER signature it returns verifies against the key's public key as-is.
 */
import { createPublicKey, verify } from 'node:crypto';
import { CreateKeyCommand, GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { signAction, signedBytes } from '../../packages/sdk/src/index.js';
import { kmsSigner } from '../../packages/sdk/src/kms.js';
import { FakeKms } from '../unit/adapters/key-vault/fake-kms.js';

const FP = `sha256:${'e'.repeat(64)}`;

async function keyIn(kms: FakeKms, spec: 'ECC_NIST_P256' | 'RSA_2048') {
  const created = await kms.client.send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY', KeySpec: spec }));
  const arn = created.KeyMetadata?.Arn ?? '';
  const spki = (await kms.client.send(new GetPublicKeyCommand({ KeyId: arn }))).PublicKey!;
  return { arn, publicKey: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }) };
}

describe('kmsSigner', () => {
  for (const spec of ['ECC_NIST_P256', 'RSA_2048'] as const) {
    it(`${spec}: signs the JCS bytes with KMS (DIGEST); the signature verifies as the contract says`, async () => {
      const kms = new FakeKms();
      const { arn, publicKey } = await keyIn(kms, spec);
      const envelope = await signAction(
        { action: 'charge', amount: 9900, currency: 'EUR' },
        { certificateFingerprint: FP, signer: kmsSigner({ keyId: arn, client: kms.client }) },
      );
      const signature = Buffer.from(envelope.signature, 'base64');
      const ok =
        spec === 'ECC_NIST_P256'
          ? verify('sha256', signedBytes(envelope), { key: publicKey, dsaEncoding: 'der' }, signature)
          : verify('sha256', signedBytes(envelope), publicKey, signature);
      expect(ok).toBe(true);
      const [input] = kms.signInputs;
      expect(input).toMatchObject({
        KeyId: arn,
        MessageType: 'DIGEST',
        SigningAlgorithm: spec === 'ECC_NIST_P256' ? 'ECDSA_SHA_256' : 'RSASSA_PKCS1_V1_5_SHA_256',
      });
      expect(input?.Message?.length).toBe(32);
    });
  }

  it('reads the algorithm once per signer, and a KMS failure surfaces as a rejected signAction', async () => {
    const kms = new FakeKms();
    const { arn } = await keyIn(kms, 'ECC_NIST_P256');
    const signer = kmsSigner({ keyId: arn, client: kms.client });
    await signer.sign(new Uint8Array([1]));
    await signer.sign(new Uint8Array([2]));
    expect(kms.stub.commandCalls(GetPublicKeyCommand).length).toBe(2); // one in keyIn, one in the signer
    kms.setState(arn, 'Disabled');
    await expect(signAction({ action: 'x' }, { certificateFingerprint: FP, signer })).rejects.toMatchObject({
      name: 'KakuninError',
      code: 'UNAVAILABLE',
    });
    const unknown = kmsSigner({ keyId: kms.unknownArn(), client: kms.client });
    await expect(unknown.sign(new Uint8Array([1]))).rejects.toThrow();
  });
});
