/**
 * File-backed KeyVault for local mode and tests: node:crypto keys persisted under `<dataDir>/keys/` so a restarted dev
 * server signs with the same CA and agent keys.
 *
 * Layout: `<uuid>.pem` (PKCS#8 private key, mode 0600) and `<uuid>.json` (spec and tags, mode 0600) in a 0700
 * directory. Each file is written to a temporary name and renamed, and the sidecar is written last, so a key exists
 * only once both are complete. Key ids are `local:<uuid>`; any other form is refused before touching the file system,
 * which rules out path traversal. The PEM is not encrypted: this vault is for a developer's machine, where file
 * permissions are the protection (docs/key-vault.md). Nothing here logs, and errors never carry key material.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DependencyError, invalidRequest, KakuninError } from '../../core/errors.js';
import type { VaultKeySpec } from '../../core/model.js';
import type { KeyTags, KeyVault, SigningAlgorithm } from '../../ports.js';
import { signMessage } from './message-signer.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** `local:` + a lowercase RFC 4122 UUID, exactly as `randomUUID` produces it. */
export const LOCAL_KEY_ID = /^local:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const SPECS: readonly VaultKeySpec[] = ['ECC_NIST_P256', 'RSA_2048', 'RSA_4096', 'ECC_NIST_EDWARDS25519'];
const PURPOSES: readonly KeyTags['purpose'][] = ['root-ca', 'issuing-ca', 'agent', 'checkpoint'];

export interface LocalKeyVaultOptions {
  /** The local data directory (`--data-dir`); keys go to `<dataDir>/keys/`. */
  dataDir: string;
}

interface KeyMetadata {
  spec: VaultKeySpec;
  tags: KeyTags;
}

interface LoadedKey extends KeyMetadata {
  privateKey: KeyObject;
}

export class LocalKeyVault implements KeyVault {
  private readonly dir: string;
  private readonly loaded = new Map<string, LoadedKey>();
  private ready: Promise<void> | undefined;

  constructor(options: LocalKeyVaultOptions) {
    this.dir = join(options.dataDir, 'keys');
  }

  async createKey(spec: VaultKeySpec, tags: KeyTags): Promise<string> {
    if (!SPECS.includes(spec)) throw invalidRequest('unsupported key spec', 'keySpec');
    const metadata: KeyMetadata = { spec, tags: validTags(tags) };
    const { privateKey } = await generate(spec);
    const uuid = randomUUID();
    await this.ensureDir();
    try {
      await this.writePrivate(`${uuid}.pem`, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
      await this.writePrivate(`${uuid}.json`, JSON.stringify(metadata));
    } catch (error) {
      throw new DependencyError('cannot store the key', error);
    }
    this.loaded.set(uuid, { ...metadata, privateKey });
    return `local:${uuid}`;
  }

  async getPublicKey(keyId: string): Promise<Uint8Array> {
    const { privateKey } = await this.load(keyId);
    return new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
  }

  async sign(keyId: string, message: Uint8Array, algorithm: SigningAlgorithm): Promise<Uint8Array> {
    if (!(message instanceof Uint8Array)) throw invalidRequest('message must be bytes');
    const { spec, privateKey } = await this.load(keyId);
    return signMessage(spec, privateKey, message, algorithm);
  }

  /** Deletes the sidecar first (its absence means "no such key"), then the private key. Unknown keys are ignored. */
  async scheduleDeletion(keyId: string): Promise<void> {
    const uuid = typeof keyId === 'string' ? LOCAL_KEY_ID.exec(keyId)?.[1] : undefined;
    if (uuid === undefined) return;
    this.loaded.delete(uuid);
    try {
      await rm(join(this.dir, `${uuid}.json`), { force: true });
      await rm(join(this.dir, `${uuid}.pem`), { force: true });
    } catch (error) {
      throw new DependencyError('cannot delete the key', error);
    }
  }

  /** The tags a key was created with (read from its sidecar); undefined for an unknown key. */
  async tagsOf(keyId: string): Promise<KeyTags | undefined> {
    try {
      return (await this.load(keyId)).tags;
    } catch (error) {
      if (error instanceof KakuninError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  private async load(keyId: string): Promise<LoadedKey> {
    const uuid = typeof keyId === 'string' ? LOCAL_KEY_ID.exec(keyId)?.[1] : undefined;
    if (uuid === undefined) throw new KakuninError('NOT_FOUND', 'key not found');
    const cached = this.loaded.get(uuid);
    if (cached) return cached;
    // The sidecar is written last: its absence means the key does not exist (or its creation never finished).
    const metadataText = await this.readOrUndefined(`${uuid}.json`);
    const pem = metadataText === undefined ? undefined : await this.readOrUndefined(`${uuid}.pem`);
    if (metadataText === undefined || pem === undefined) throw new KakuninError('NOT_FOUND', 'key not found');
    const key = parseKey(metadataText, pem);
    this.loaded.set(uuid, key);
    return key;
  }

  private async readOrUndefined(name: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.dir, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DependencyError('cannot read the key store', error);
    }
  }

  private async writePrivate(name: string, content: string): Promise<void> {
    const temporary = join(this.dir, `.${name}.${randomUUID()}.tmp`);
    await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
    await rename(temporary, join(this.dir, name));
  }

  private ensureDir(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      // mkdir leaves an existing directory's mode alone: tighten it in case it was created loosely.
      await chmod(this.dir, 0o700);
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw new DependencyError('cannot create the key directory', error);
    });
    return this.ready;
  }
}

async function generate(spec: VaultKeySpec): Promise<{ privateKey: KeyObject }> {
  if (spec === 'ECC_NIST_EDWARDS25519') return generateKeyPairAsync('ed25519');
  // Asynchronous generation: an RSA_4096 key takes seconds and must not block the dev server's event loop.
  return spec === 'ECC_NIST_P256'
    ? generateKeyPairAsync('ec', { namedCurve: 'prime256v1' })
    : generateKeyPairAsync('rsa', { modulusLength: spec === 'RSA_2048' ? 2048 : 4096 });
}

function validTags(tags: KeyTags): KeyTags {
  if (typeof tags?.tenantId !== 'string' || tags.tenantId.length === 0) throw invalidRequest('tenantId tag required');
  if (!PURPOSES.includes(tags.purpose)) throw invalidRequest('unknown key purpose');
  if (tags.agentId !== undefined && (typeof tags.agentId !== 'string' || tags.agentId.length === 0)) {
    throw invalidRequest('agentId tag must be a non-empty string');
  }
  return tags.agentId === undefined
    ? { tenantId: tags.tenantId, purpose: tags.purpose }
    : { tenantId: tags.tenantId, purpose: tags.purpose, agentId: tags.agentId };
}

/** Fails closed on a corrupt or inconsistent key file: a vault that cannot trust its store does not sign. */
function parseKey(metadataText: string, pem: string): LoadedKey {
  try {
    const metadata = JSON.parse(metadataText) as KeyMetadata;
    if (!SPECS.includes(metadata.spec)) throw new Error('unknown spec');
    const tags = validTags(metadata.tags);
    const privateKey = createPrivateKey({ key: pem, format: 'pem' });
    if (specOf(privateKey) !== metadata.spec) throw new Error('key does not match its recorded spec');
    return { spec: metadata.spec, tags, privateKey };
  } catch (error) {
    throw new DependencyError('a stored key is corrupt', error);
  }
}

function specOf(key: KeyObject): VaultKeySpec | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'ECC_NIST_EDWARDS25519';
  if (key.asymmetricKeyType === 'ec') {
    return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ECC_NIST_P256' : undefined;
  }
  if (key.asymmetricKeyType !== 'rsa') return undefined;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return bits === 2048 ? 'RSA_2048' : bits === 4096 ? 'RSA_4096' : undefined;
}
