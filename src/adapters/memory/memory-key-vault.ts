/**
 * In-memory KeyVault: node:crypto keys held in a Map. For unit tests and in-process benchmarks only; local mode uses
 * the file-backed local vault. Signs exactly as KMS does (SHA-256, DER for ECDSA).
 */
import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { KakuninError } from '../../core/errors.js';
import type { VaultKeySpec } from '../../core/model.js';
import type { KeyTags, KeyVault, SigningAlgorithm } from '../../ports.js';
import { signMessage } from '../local/message-signer.js';

interface HeldKey {
  spec: VaultKeySpec;
  privateKey: KeyObject;
  publicKey: KeyObject;
  tags: KeyTags;
}

export class MemoryKeyVault implements KeyVault {
  private readonly keys = new Map<string, HeldKey>();

  async createKey(spec: VaultKeySpec, tags: KeyTags): Promise<string> {
    const id = `mem-key-${randomUUID()}`;
    const pair =
      spec === 'ECC_NIST_EDWARDS25519'
        ? generateKeyPairSync('ed25519')
        : spec === 'ECC_NIST_P256'
          ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
          : generateKeyPairSync('rsa', { modulusLength: spec === 'RSA_2048' ? 2048 : 4096 });
    this.keys.set(id, { spec, tags, ...pair });
    return id;
  }

  async getPublicKey(keyId: string): Promise<Uint8Array> {
    return new Uint8Array(this.held(keyId).publicKey.export({ format: 'der', type: 'spki' }));
  }

  async sign(keyId: string, message: Uint8Array, algorithm: SigningAlgorithm): Promise<Uint8Array> {
    const { spec, privateKey } = this.held(keyId);
    return signMessage(spec, privateKey, message, algorithm);
  }

  async scheduleDeletion(keyId: string): Promise<void> {
    this.keys.delete(keyId);
  }

  /** Test helper: ids of the keys held (deleted ones excluded). */
  keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Test helper: the tags a key was created with. */
  tagsOf(keyId: string): KeyTags | undefined {
    return this.keys.get(keyId)?.tags;
  }

  private held(keyId: string): HeldKey {
    const held = this.keys.get(keyId);
    if (!held) throw new KakuninError('NOT_FOUND', 'key not found');
    return held;
  }
}
