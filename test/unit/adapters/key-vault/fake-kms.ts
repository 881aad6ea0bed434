/**
 * A KMS stand-in behind aws-sdk-client-mock: the adapter builds the real SDK command objects and the mocked
 * `KMSClient#send` answers CreateKey / GetPublicKey / Sign with real node:crypto keys. Sign sees only the digest and
 * signs it (digest-signer.ts), so every signature it returns really verifies over the original message.
 * It checks what KMS would reject (wrong MessageType, digest length, key usage, algorithm) and throws the SDK's own
 * exception classes, so the adapter's error mapping is exercised with the objects it meets in production.
 */
import { generateKeyPairSync, type KeyObject, sign as nodeSign, randomUUID } from 'node:crypto';
import {
  CreateKeyCommand,
  type CreateKeyCommandInput,
  DisabledException,
  GetPublicKeyCommand,
  type GetPublicKeyCommandInput,
  InvalidKeyUsageException,
  KMSClient,
  KMSInvalidStateException,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  type ScheduleKeyDeletionCommandInput,
  SignCommand,
  type SignCommandInput,
  type Tag,
} from '@aws-sdk/client-kms';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import type { VaultKeySpec } from '../../../../src/core/model.js';
import { ecdsaSignDigest, rsaSignDigest } from './digest-signer.js';

export type FakeKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

interface FakeKey {
  arn: string;
  spec: VaultKeySpec;
  privateKey: KeyObject;
  publicKey: KeyObject;
  tags: Tag[];
  description: string | undefined;
  state: FakeKeyState;
}

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';
const meta = { $metadata: { httpStatusCode: 400 } };

export class FakeKms {
  readonly client = new KMSClient({ region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  readonly stub: AwsClientStub<KMSClient>;
  /** Every Sign input received, for assertions on MessageType and digest. */
  readonly signInputs: SignCommandInput[] = [];
  private readonly keys = new Map<string, FakeKey>();

  constructor() {
    // Mock this instance only, so other test files' KMS clients are untouched.
    this.stub = mockClient(this.client);
    this.stub.on(CreateKeyCommand).callsFake((input: CreateKeyCommandInput) => this.createKey(input));
    this.stub.on(GetPublicKeyCommand).callsFake((input: GetPublicKeyCommandInput) => this.getPublicKey(input));
    this.stub.on(SignCommand).callsFake((input: SignCommandInput) => this.sign(input));
    this.stub
      .on(ScheduleKeyDeletionCommand)
      .callsFake((input: ScheduleKeyDeletionCommandInput) => this.scheduleDeletion(input));
  }

  /** Every ScheduleKeyDeletion input received. */
  readonly deletionInputs: ScheduleKeyDeletionCommandInput[] = [];

  private scheduleDeletion(input: ScheduleKeyDeletionCommandInput) {
    this.deletionInputs.push(input);
    const days = input.PendingWindowInDays ?? 30;
    if (days < 7 || days > 30) throw new Error(`fake KMS: PendingWindowInDays ${days} outside 7-30`);
    const key = this.find(input.KeyId);
    key.state = 'PendingDeletion';
    return { KeyId: key.arn, KeyState: 'PendingDeletion', PendingWindowInDays: days };
  }

  stateOf(keyId: string): FakeKeyState | undefined {
    return this.keys.get(keyId)?.state;
  }

  setState(keyId: string, state: FakeKeyState): void {
    this.find(keyId).state = state;
  }

  tagsOf(keyId: string): Tag[] | undefined {
    return this.keys.get(keyId)?.tags;
  }

  unknownArn(): string {
    return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${randomUUID()}`;
  }

  private createKey(input: CreateKeyCommandInput) {
    if (input.KeyUsage !== 'SIGN_VERIFY')
      throw new Error(`fake KMS: expected KeyUsage SIGN_VERIFY, got ${input.KeyUsage}`);
    const spec = input.KeySpec;
    if (spec !== 'ECC_NIST_P256' && spec !== 'RSA_2048' && spec !== 'RSA_4096' && spec !== 'ECC_NIST_EDWARDS25519') {
      throw new Error(`fake KMS: unexpected KeySpec ${spec}`);
    }
    const pair =
      spec === 'ECC_NIST_EDWARDS25519'
        ? generateKeyPairSync('ed25519')
        : spec === 'ECC_NIST_P256'
          ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
          : generateKeyPairSync('rsa', { modulusLength: spec === 'RSA_2048' ? 2048 : 4096 });
    const keyId = randomUUID();
    const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;
    this.keys.set(arn, {
      arn,
      spec,
      ...pair,
      tags: input.Tags ?? [],
      description: input.Description,
      state: 'Enabled',
    });
    return { KeyMetadata: { KeyId: keyId, Arn: arn, KeySpec: spec, KeyUsage: 'SIGN_VERIFY', Enabled: true } };
  }

  private getPublicKey(input: GetPublicKeyCommandInput) {
    const key = this.usable(input.KeyId);
    return {
      KeyId: key.arn,
      PublicKey: new Uint8Array(key.publicKey.export({ format: 'der', type: 'spki' })),
      KeySpec: key.spec,
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: [algorithmOf(key.spec)],
    };
  }

  private sign(input: SignCommandInput) {
    this.signInputs.push(input);
    if (input.KeyId !== undefined && this.find(input.KeyId).spec === 'ECC_NIST_EDWARDS25519')
      return this.signRaw(input);
    if (input.MessageType !== 'DIGEST')
      throw new Error(`fake KMS: expected MessageType DIGEST, got ${input.MessageType}`);
    const digest = input.Message;
    if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new Error('fake KMS: expected a 32-byte digest');
    const key = this.usable(input.KeyId);
    if (input.SigningAlgorithm !== algorithmOf(key.spec)) {
      throw new InvalidKeyUsageException({
        message: `${input.SigningAlgorithm} is not valid for ${key.spec}`,
        ...meta,
      });
    }
    const signature =
      key.spec === 'ECC_NIST_P256' ? ecdsaSignDigest(key.privateKey, digest) : rsaSignDigest(key.privateKey, digest);
    return { KeyId: key.arn, Signature: new Uint8Array(signature), SigningAlgorithm: input.SigningAlgorithm };
  }

  /** KMS signs Ed25519 (ED25519_SHA_512) only over the RAW message, at most 4096 bytes. */
  private signRaw(input: SignCommandInput) {
    const key = this.usable(input.KeyId);
    if (input.SigningAlgorithm !== 'ED25519_SHA_512') {
      throw new InvalidKeyUsageException({
        message: `${input.SigningAlgorithm} is not valid for ${key.spec}`,
        ...meta,
      });
    }
    if (input.MessageType !== 'RAW') throw new Error(`fake KMS: expected MessageType RAW, got ${input.MessageType}`);
    const message = input.Message;
    if (!(message instanceof Uint8Array) || message.length > 4096) throw new Error('fake KMS: RAW message over 4096');
    const signature = nodeSign(null, message, key.privateKey);
    return { KeyId: key.arn, Signature: new Uint8Array(signature), SigningAlgorithm: input.SigningAlgorithm };
  }

  private find(keyId: string | undefined): FakeKey {
    const key =
      this.keys.get(keyId ?? '') ?? [...this.keys.values()].find((k) => k.arn.endsWith(`/${keyId ?? 'missing'}`));
    if (!key) throw new NotFoundException({ message: 'Key does not exist', ...meta });
    return key;
  }

  private usable(keyId: string | undefined): FakeKey {
    const key = this.find(keyId);
    if (key.state === 'Disabled') throw new DisabledException({ message: `${key.arn} is disabled.`, ...meta });
    if (key.state === 'PendingDeletion') {
      throw new KMSInvalidStateException({ message: `${key.arn} is pending deletion.`, ...meta });
    }
    return key;
  }
}

function algorithmOf(spec: VaultKeySpec): 'ECDSA_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_256' | 'ED25519_SHA_512' {
  if (spec === 'ECC_NIST_EDWARDS25519') return 'ED25519_SHA_512';
  return spec === 'ECC_NIST_P256' ? 'ECDSA_SHA_256' : 'RSASSA_PKCS1_V1_5_SHA_256';
}
