/**
 * KeyVault backed by AWS KMS: private keys are created in, and never leave, KMS.
 *
 * `sign` hashes the message locally and sends only the 32-byte SHA-256 digest with `MessageType: 'DIGEST'`: the
 * message never leaves the process and there is no 4 KiB cap (RAW mode's limit). ECDSA signatures are returned as KMS
 * returns them, DER; consumers that need raw r‖s convert with core/crypto/ecdsa-format. The Ed25519 checkpoint key
 * (`ECC_NIST_EDWARDS25519`) is the exception: PureEdDSA signs the message itself, so it goes as `MessageType: 'RAW'`
 * with `ED25519_SHA_512`, capped at 4096 bytes (a checkpoint note's text is ~100 bytes).
 *
 * Error mapping (docs/key-vault.md): unknown key → NOT_FOUND; algorithm that does not fit the key → INVALID_REQUEST;
 * disabled / pending-deletion / unavailable key → KeyUnusableError (a DependencyError, 503); everything else
 * (throttling, 5xx, network, access denied, anything unrecognised) → DependencyError (503). Fail closed.
 */
import { createHash } from 'node:crypto';
import {
  CreateKeyCommand,
  type CreateKeyCommandInput,
  GetPublicKeyCommand,
  type KMSClient,
  type KeySpec as KmsKeySpec,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type Tag,
} from '@aws-sdk/client-kms';
import { ecdsaDerToRaw } from '../../core/crypto/ecdsa-format.js';
import { DependencyError, invalidRequest, KakuninError } from '../../core/errors.js';
import type { VaultKeySpec } from '../../core/model.js';
import type { KeyTags, KeyVault, SigningAlgorithm } from '../../ports.js';
import { KMS_RAW_MESSAGE_LIMIT } from '../local/message-signer.js';

export const KMS_TAG_KEYS = {
  tenant: 'kakunin:tenant',
  purpose: 'kakunin:purpose',
  agent: 'kakunin:agent',
} as const;

/** The key exists but KMS refuses to use it (disabled, pending deletion, custom key store down). 503, no effect. */
export class KeyUnusableError extends DependencyError {
  readonly keyId: string;
  constructor(keyId: string, cause: unknown) {
    super('signing key is disabled, pending deletion or unavailable', cause);
    this.keyId = keyId;
  }
}

/** Days before KMS deletes a key scheduled for deletion (its minimum). */
export const KEY_DELETION_WINDOW_DAYS = 7;

export type KmsOperation = 'CreateKey' | 'GetPublicKey' | 'Sign' | 'ScheduleKeyDeletion';

export interface KmsKeyVaultOptions {
  /** Called after every KMS request with its duration (for the KmsLatency metric); never receives key material. */
  onCall?: (call: { operation: KmsOperation; durationMs: number; ok: boolean }) => void;
  client: KMSClient;
  /** A key policy document (JSON) for CreateKey. @default KMS's default key policy (account root may use the key) */
  keyPolicy?: string;
  /** Prefix of the key description; the purpose and tenant/agent follow. @default 'kakunin' */
  descriptionPrefix?: string;
  /** Public keys are immutable, so they are cached; this bounds the cache. @default 1000 */
  publicKeyCacheSize?: number;
}

const SPECS: readonly VaultKeySpec[] = ['ECC_NIST_P256', 'RSA_2048', 'RSA_4096', 'ECC_NIST_EDWARDS25519'];
const ALGORITHM_OF: Record<VaultKeySpec, SigningAlgorithm> = {
  ECC_NIST_P256: 'ECDSA_SHA_256',
  RSA_2048: 'RSASSA_PKCS1_V1_5_SHA_256',
  RSA_4096: 'RSASSA_PKCS1_V1_5_SHA_256',
  ECC_NIST_EDWARDS25519: 'ED25519',
};
/** KMS: tag values are 0–256 Unicode characters; key ids/ARNs/aliases are at most 2048. */
const MAX_TAG_VALUE = 256;
const MAX_KEY_ID = 2048;

const NOT_FOUND_ERRORS = new Set(['NotFoundException', 'InvalidArnException']);
const UNUSABLE_KEY_ERRORS = new Set(['DisabledException', 'KMSInvalidStateException', 'KeyUnavailableException']);

interface CachedKey {
  spki: Uint8Array;
  spec: VaultKeySpec | undefined;
}

export class KmsKeyVault implements KeyVault {
  private readonly client: KMSClient;
  private readonly keyPolicy: string | undefined;
  private readonly descriptionPrefix: string;
  private readonly cacheSize: number;
  private readonly publicKeys = new Map<string, CachedKey>();
  private readonly onCall: KmsKeyVaultOptions['onCall'];

  constructor(options: KmsKeyVaultOptions) {
    this.client = options.client;
    this.onCall = options.onCall;
    this.keyPolicy = options.keyPolicy;
    this.descriptionPrefix = options.descriptionPrefix ?? 'kakunin';
    this.cacheSize = Math.max(1, options.publicKeyCacheSize ?? 1000);
  }

  async createKey(spec: VaultKeySpec, tags: KeyTags): Promise<string> {
    if (!SPECS.includes(spec)) throw invalidRequest('unsupported key spec', 'keySpec');
    const validTags = kmsTags(tags);
    const input: CreateKeyCommandInput = {
      KeySpec: spec satisfies KmsKeySpec,
      KeyUsage: 'SIGN_VERIFY',
      Description: this.describe(tags),
      Tags: validTags,
      ...(this.keyPolicy === undefined ? {} : { Policy: this.keyPolicy }),
    };
    const out = await this.call('CreateKey', '', () => this.client.send(new CreateKeyCommand(input)));
    const arn = out?.KeyMetadata?.Arn;
    if (!arn) throw new DependencyError('KMS CreateKey returned no key ARN');
    return arn;
  }

  async getPublicKey(keyId: string): Promise<Uint8Array> {
    return new Uint8Array((await this.cachedKey(keyId)).spki);
  }

  async sign(keyId: string, message: Uint8Array, algorithm: SigningAlgorithm): Promise<Uint8Array> {
    checkKeyId(keyId);
    if (!(message instanceof Uint8Array)) throw invalidRequest('message must be bytes');
    if (algorithm !== 'ECDSA_SHA_256' && algorithm !== 'RSASSA_PKCS1_V1_5_SHA_256' && algorithm !== 'ED25519') {
      throw invalidRequest('unsupported signing algorithm');
    }
    if (algorithm === 'ED25519' && message.length > KMS_RAW_MESSAGE_LIMIT) {
      throw invalidRequest(`an Ed25519 message is at most ${KMS_RAW_MESSAGE_LIMIT} bytes`);
    }
    // Refuse a mismatch before calling KMS when the key's spec is already known; KMS refuses it too otherwise.
    const known = this.publicKeys.get(keyId)?.spec;
    if (known !== undefined && ALGORITHM_OF[known] !== algorithm) {
      throw invalidRequest(`a ${known} key does not sign ${algorithm}`);
    }
    const command =
      algorithm === 'ED25519'
        ? new SignCommand({ KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' })
        : new SignCommand({
            KeyId: keyId,
            Message: createHash('sha256').update(message).digest(),
            MessageType: 'DIGEST',
            SigningAlgorithm: algorithm,
          });
    const out = await this.call('Sign', keyId, () => this.client.send(command));
    const signature = out?.Signature;
    if (!(signature instanceof Uint8Array) || signature.length === 0) {
      throw new DependencyError('KMS Sign returned no signature');
    }
    if (algorithm === 'ECDSA_SHA_256') assertEcdsaDer(signature);
    if (algorithm === 'ED25519' && signature.length !== 64)
      throw new DependencyError('KMS returned a malformed Ed25519 signature');
    return new Uint8Array(signature);
  }

  /** KMS's shortest waiting period (7 days), during which the deletion can still be cancelled. */
  async scheduleDeletion(keyId: string): Promise<void> {
    checkKeyId(keyId);
    this.publicKeys.delete(keyId);
    await this.call('ScheduleKeyDeletion', keyId, () =>
      this.client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: KEY_DELETION_WINDOW_DAYS })),
    );
  }

  private async cachedKey(keyId: string): Promise<CachedKey> {
    checkKeyId(keyId);
    const hit = this.publicKeys.get(keyId);
    if (hit) return hit;
    const out = await this.call('GetPublicKey', keyId, () =>
      this.client.send(new GetPublicKeyCommand({ KeyId: keyId })),
    );
    const spki = out?.PublicKey;
    if (!(spki instanceof Uint8Array) || spki.length === 0) throw new DependencyError('KMS returned no public key');
    if (out.KeyUsage !== undefined && out.KeyUsage !== 'SIGN_VERIFY') {
      throw new KeyUnusableError(keyId, new Error(`key usage is ${out.KeyUsage}, not SIGN_VERIFY`));
    }
    const spec = SPECS.find((s) => s === out.KeySpec);
    // A key of a spec this service never creates (e.g. a misconfigured CA key ARN) is not used: fail closed.
    if (out.KeySpec !== undefined && spec === undefined) {
      throw new KeyUnusableError(keyId, new Error(`unsupported key spec ${out.KeySpec}`));
    }
    const entry: CachedKey = { spki: new Uint8Array(spki), spec };
    if (this.publicKeys.size >= this.cacheSize) {
      const oldest = this.publicKeys.keys().next().value;
      if (oldest !== undefined) this.publicKeys.delete(oldest);
    }
    this.publicKeys.set(keyId, entry);
    return entry;
  }

  private describe(tags: KeyTags): string {
    const subject = tags.agentId === undefined ? tags.tenantId : `${tags.tenantId}/${tags.agentId}`;
    return `${this.descriptionPrefix} ${tags.purpose} key for ${subject}`;
  }

  /** Runs one KMS call and maps its failure to the domain's errors. */
  private async call<T>(operation: KmsOperation, keyId: string, send: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let ok = false;
    try {
      const result = await send();
      ok = true;
      return result;
    } catch (error) {
      throw mapKmsError(keyId, error);
    } finally {
      this.onCall?.({ operation, durationMs: performance.now() - started, ok });
    }
  }
}

/** Tags let IAM scope access by tenant/agent (`aws:ResourceTag/kakunin:tenant`); see docs/key-vault.md. */
export function kmsTags(tags: KeyTags): Tag[] {
  const out: Tag[] = [
    { TagKey: KMS_TAG_KEYS.tenant, TagValue: tagValue(tags.tenantId, 'tenantId') },
    { TagKey: KMS_TAG_KEYS.purpose, TagValue: tagValue(tags.purpose, 'purpose') },
  ];
  if (tags.agentId !== undefined) out.push({ TagKey: KMS_TAG_KEYS.agent, TagValue: tagValue(tags.agentId, 'agentId') });
  return out;
}

function tagValue(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TAG_VALUE) {
    throw invalidRequest(`key tag ${field} must be 1-${MAX_TAG_VALUE} characters`, field);
  }
  return value;
}

function checkKeyId(keyId: unknown): asserts keyId is string {
  if (typeof keyId !== 'string' || keyId.length === 0 || keyId.length > MAX_KEY_ID) {
    throw new KakuninError('NOT_FOUND', 'key not found');
  }
}

function assertEcdsaDer(signature: Uint8Array): void {
  try {
    ecdsaDerToRaw(signature);
  } catch (error) {
    throw new DependencyError('KMS Sign returned a malformed ECDSA signature', error);
  }
}

/** Exported for tests. The SDK's error `name` is the KMS exception type; anything unrecognised is a 503. */
export function mapKmsError(keyId: string, error: unknown): KakuninError {
  if (error instanceof KakuninError) return error;
  const name = error instanceof Error ? error.name : '';
  if (NOT_FOUND_ERRORS.has(name)) return new KakuninError('NOT_FOUND', 'key not found', { cause: error });
  if (name === 'InvalidKeyUsageException') {
    return new KakuninError('INVALID_REQUEST', 'the signing algorithm does not fit the key', { cause: error });
  }
  if (UNUSABLE_KEY_ERRORS.has(name)) return new KeyUnusableError(keyId, error);
  // The message reaches callers (503 body); the SDK error, kept as the cause, is for the logs only.
  return new DependencyError('key vault unavailable', error);
}
