import { constants, createPublicKey, verify } from 'node:crypto';
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  KMSInternalException,
  KMSServiceException,
  SignCommand,
} from '@aws-sdk/client-kms';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  KeyUnusableError,
  KMS_TAG_KEYS,
  KmsKeyVault,
  mapKmsError,
} from '../../../../src/adapters/aws/kms-key-vault.js';
import { ecdsaDerToRaw, ecdsaRawToDer } from '../../../../src/core/crypto/ecdsa-format.js';
import { verifySignature } from '../../../../src/core/crypto/verify-signature.js';
import { DependencyError } from '../../../../src/core/errors.js';
import type { KeyTags } from '../../../../src/ports.js';
import { describeKeyVaultConformance, expectKakuninError, sha256 } from './conformance.js';
import { FakeKms } from './fake-kms.js';

/** Reads the tags back from the CreateKey input KMS received, in the port's shape. */
function portTags(kms: FakeKms, keyId: string): KeyTags | undefined {
  const tags = kms.tagsOf(keyId);
  if (!tags) return undefined;
  const value = (key: string) => tags.find((t) => t.TagKey === key)?.TagValue;
  const agentId = value(KMS_TAG_KEYS.agent);
  return {
    tenantId: value(KMS_TAG_KEYS.tenant)!,
    purpose: value(KMS_TAG_KEYS.purpose) as KeyTags['purpose'],
    ...(agentId === undefined ? {} : { agentId }),
  };
}

describeKeyVaultConformance('KmsKeyVault (aws-sdk-client-mock backed by node:crypto)', async () => {
  const kms = new FakeKms();
  return {
    vault: new KmsKeyVault({ client: kms.client }),
    recordedTags: async (keyId) => portTags(kms, keyId),
    unknownKeyId: kms.unknownArn(),
  };
});

const AGENT: KeyTags = { tenantId: 't_acme', purpose: 'agent', agentId: 'a_0123456789abcdef' };
const message = new TextEncoder().encode('{"action":"charge","amount":9900}');
const serviceError = (name: string, fault: 'client' | 'server', status: number) =>
  new KMSServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: name });

describe('KmsKeyVault with the KMS SDK commands', () => {
  let kms: FakeKms;
  let vault: KmsKeyVault;
  beforeEach(() => {
    kms = new FakeKms();
    vault = new KmsKeyVault({ client: kms.client, keyPolicy: '{"Version":"2012-10-17","Statement":[]}' });
  });

  it('creates a SIGN_VERIFY key with tenant/purpose/agent tags and returns its ARN', async () => {
    const arn = await vault.createKey('ECC_NIST_P256', AGENT);
    expect(arn).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/);
    const input = kms.stub.commandCalls(CreateKeyCommand)[0]!.args[0].input;
    expect(input).toEqual({
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      Description: 'kakunin agent key for t_acme/a_0123456789abcdef',
      Policy: '{"Version":"2012-10-17","Statement":[]}',
      Tags: [
        { TagKey: 'kakunin:tenant', TagValue: 't_acme' },
        { TagKey: 'kakunin:purpose', TagValue: 'agent' },
        { TagKey: 'kakunin:agent', TagValue: 'a_0123456789abcdef' },
      ],
    });
    await vault.createKey('RSA_4096', { tenantId: 't_acme', purpose: 'root-ca' });
    const caTags = kms.stub.commandCalls(CreateKeyCommand)[1]!.args[0].input.Tags;
    expect(caTags?.map((t) => t.TagKey)).toEqual(['kakunin:tenant', 'kakunin:purpose']);
  });

  it('sends only the SHA-256 digest, in DIGEST mode, whatever the message size', async () => {
    const arn = await vault.createKey('ECC_NIST_P256', AGENT);
    const big = new Uint8Array(100_000).fill(7);
    await vault.sign(arn, big, 'ECDSA_SHA_256');
    const input = kms.stub.commandCalls(SignCommand)[0]!.args[0].input;
    expect(input.MessageType).toBe('DIGEST');
    expect(input.SigningAlgorithm).toBe('ECDSA_SHA_256');
    expect(input.KeyId).toBe(arn);
    expect(Buffer.from(input.Message!)).toEqual(sha256(big));
  });

  it('returns ECDSA as DER that converts to raw r‖s and back, verifying in both encodings', async () => {
    const arn = await vault.createKey('ECC_NIST_P256', AGENT);
    const der = await vault.sign(arn, message, 'ECDSA_SHA_256');
    const raw = ecdsaDerToRaw(der);
    expect(raw).toHaveLength(64);
    const key = createPublicKey({ key: Buffer.from(await vault.getPublicKey(arn)), format: 'der', type: 'spki' });
    expect(verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    expect(Buffer.from(ecdsaRawToDer(raw))).toEqual(Buffer.from(der));
    expect(verifySignature(key, message, der)).toBe(true);
  });

  it('returns RSA PKCS#1 v1.5 signatures that node verifies', async () => {
    const arn = await vault.createKey('RSA_2048', AGENT);
    const signature = await vault.sign(arn, message, 'RSASSA_PKCS1_V1_5_SHA_256');
    const key = createPublicKey({ key: Buffer.from(await vault.getPublicKey(arn)), format: 'der', type: 'spki' });
    expect(verify('sha256', message, { key, padding: constants.RSA_PKCS1_PADDING }, signature)).toBe(true);
  });

  it('caches public keys: one GetPublicKey per key, and callers cannot alter the cache', async () => {
    const arn = await vault.createKey('ECC_NIST_P256', AGENT);
    const first = await vault.getPublicKey(arn);
    first.fill(0);
    const second = await vault.getPublicKey(arn);
    expect(second.some((b) => b !== 0)).toBe(true);
    expect(kms.stub.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });

  it('bounds the public key cache', async () => {
    const small = new KmsKeyVault({ client: kms.client, publicKeyCacheSize: 1 });
    const a = await small.createKey('ECC_NIST_P256', AGENT);
    const b = await small.createKey('ECC_NIST_P256', AGENT);
    await small.getPublicKey(a);
    await small.getPublicKey(b);
    await small.getPublicKey(a);
    expect(kms.stub.commandCalls(GetPublicKeyCommand)).toHaveLength(3);
  });

  it('maps KMS InvalidKeyUsageException to INVALID_REQUEST, and refuses locally once the spec is known', async () => {
    const arn = await vault.createKey('RSA_2048', AGENT);
    await expectKakuninError(vault.sign(arn, message, 'ECDSA_SHA_256'), 'INVALID_REQUEST');
    expect(kms.signInputs).toHaveLength(1); // KMS itself refused it
    await vault.getPublicKey(arn);
    await expectKakuninError(vault.sign(arn, message, 'ECDSA_SHA_256'), 'INVALID_REQUEST');
    expect(kms.signInputs).toHaveLength(1); // refused before calling KMS
  });

  it('reports every KMS request to onCall with its operation, duration and outcome', async () => {
    const calls: { operation: string; durationMs: number; ok: boolean }[] = [];
    const timed = new KmsKeyVault({ client: kms.client, onCall: (call) => calls.push(call) });
    const keyId = await timed.createKey('ECC_NIST_P256', { tenantId: 't1', purpose: 'agent', agentId: 'a_1' });
    await timed.sign(keyId, message, 'ECDSA_SHA_256');
    await expectKakuninError(timed.sign(kms.unknownArn(), message, 'ECDSA_SHA_256'), 'NOT_FOUND');
    expect(calls.map(({ operation, ok }) => [operation, ok])).toEqual([
      ['CreateKey', true],
      ['Sign', true],
      ['Sign', false],
    ]);
    for (const call of calls) expect(call.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('maps NotFoundException to NOT_FOUND', async () => {
    await expectKakuninError(vault.sign(kms.unknownArn(), message, 'ECDSA_SHA_256'), 'NOT_FOUND');
    await expectKakuninError(vault.getPublicKey(kms.unknownArn()), 'NOT_FOUND');
  });

  it('maps a disabled or pending-deletion key to KeyUnusableError (503, no signature)', async () => {
    const arn = await vault.createKey('ECC_NIST_P256', AGENT);
    for (const state of ['Disabled', 'PendingDeletion'] as const) {
      kms.setState(arn, state);
      const error = await expectKakuninError(vault.sign(arn, message, 'ECDSA_SHA_256'), 'UNAVAILABLE');
      expect(error).toBeInstanceOf(KeyUnusableError);
      expect(error).toBeInstanceOf(DependencyError);
      expect(error.status).toBe(503);
      expect((error as KeyUnusableError).keyId).toBe(arn);
    }
  });

  it.each([
    ['throttling', serviceError('ThrottlingException', 'client', 400)],
    ['KMS internal', new KMSInternalException({ message: 'internal', $metadata: { httpStatusCode: 500 } })],
    ['5xx', serviceError('ServiceUnavailableException', 'server', 503)],
    ['access denied', serviceError('AccessDeniedException', 'client', 400)],
    ['network', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['non-Error value', 'boom'],
  ])('maps a %s failure to a 503 DependencyError', async (_label, failure) => {
    kms.stub.on(SignCommand).rejects(failure as Error);
    kms.stub.on(CreateKeyCommand).rejects(failure as Error);
    const error = await expectKakuninError(vault.sign(kms.unknownArn(), message, 'ECDSA_SHA_256'), 'UNAVAILABLE');
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.status).toBe(503);
    expect(error.toBody().message).toBe('key vault unavailable');
    await expectKakuninError(vault.createKey('ECC_NIST_P256', AGENT), 'UNAVAILABLE');
  });

  it.each([
    ['an empty signature', { Signature: new Uint8Array(0) }, 'KMS Sign returned no signature'],
    ['no signature', {}, 'KMS Sign returned no signature'],
    ['no response', undefined, 'KMS Sign returned no signature'],
    [
      'a raw (non-DER) ECDSA signature',
      { Signature: new Uint8Array(64).fill(1) },
      'KMS Sign returned a malformed ECDSA signature',
    ],
  ])('fails closed when KMS Sign returns %s', async (_label, response, expected) => {
    const arn = await vault.createKey('ECC_NIST_P256', AGENT);
    kms.stub.on(SignCommand).resolves(response as never);
    const error = await expectKakuninError(vault.sign(arn, message, 'ECDSA_SHA_256'), 'UNAVAILABLE');
    expect(error.message).toBe(expected);
  });

  it('fails closed when CreateKey returns no ARN', async () => {
    kms.stub.on(CreateKeyCommand).resolves({ KeyMetadata: { KeyId: 'x' } } as never);
    const error = await expectKakuninError(vault.createKey('ECC_NIST_P256', AGENT), 'UNAVAILABLE');
    expect(error.message).toBe('KMS CreateKey returned no key ARN');
  });

  it('fails closed when GetPublicKey returns no key, or a key that is not for signing', async () => {
    kms.stub.on(GetPublicKeyCommand).resolves({ KeySpec: 'ECC_NIST_P256' } as never);
    const missing = await expectKakuninError(vault.getPublicKey(kms.unknownArn()), 'UNAVAILABLE');
    expect(missing.message).toBe('KMS returned no public key');
    kms.stub.on(GetPublicKeyCommand).resolves({ PublicKey: new Uint8Array(10), KeyUsage: 'ENCRYPT_DECRYPT' } as never);
    expect(await expectKakuninError(vault.getPublicKey(kms.unknownArn()), 'UNAVAILABLE')).toBeInstanceOf(
      KeyUnusableError,
    );
  });

  it('validates inputs before calling KMS', async () => {
    await expectKakuninError(vault.createKey('ECC_NIST_P256', { tenantId: '', purpose: 'agent' }), 'INVALID_REQUEST');
    await expectKakuninError(
      vault.createKey('ECC_NIST_P256', { ...AGENT, agentId: 'a'.repeat(257) }),
      'INVALID_REQUEST',
    );
    await expectKakuninError(vault.createKey('RSA_3072' as never, AGENT), 'INVALID_REQUEST');
    await expectKakuninError(vault.sign('x'.repeat(2049), message, 'ECDSA_SHA_256'), 'NOT_FOUND');
    await expectKakuninError(vault.sign('k', 'text' as never, 'ECDSA_SHA_256'), 'INVALID_REQUEST');
    await expectKakuninError(vault.sign('k', message, 'RSASSA_PSS_SHA_256' as never), 'INVALID_REQUEST');
    expect(kms.stub.calls()).toHaveLength(0);
  });

  it('passes KakuninErrors through the mapping unchanged', () => {
    const original = new DependencyError('x');
    expect(mapKmsError('k', original)).toBe(original);
  });
});
