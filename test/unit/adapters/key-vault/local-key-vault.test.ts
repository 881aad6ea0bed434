import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalKeyVault } from '../../../../src/adapters/local/local-key-vault.js';
import { verifySignature } from '../../../../src/core/crypto/verify-signature.js';
import { DependencyError } from '../../../../src/core/errors.js';
import type { KeyTags } from '../../../../src/ports.js';
import { describeKeyVaultConformance, expectKakuninError } from './conformance.js';

/** Built, not written out, so secret scanners looking for committed keys do not flag this fake marker. */
const PEM_LABEL = ['PRIVATE', 'KEY'].join(' ');

const dirs: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kakunin-vault-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const TAGS: KeyTags = { tenantId: 't_local', purpose: 'agent', agentId: 'a_0123456789abcdef' };
const uuidOf = (keyId: string) => keyId.slice('local:'.length);
const mode = (path: string) => statSync(path).mode & 0o777;

describeKeyVaultConformance('LocalKeyVault', async () => {
  const vault = new LocalKeyVault({ dataDir: tempDataDir() });
  return {
    vault,
    recordedTags: (keyId) => vault.tagsOf(keyId),
    unknownKeyId: 'local:00000000-0000-4000-8000-000000000000',
  };
});

describe('LocalKeyVault files', () => {
  it('writes the key as PKCS#8 PEM with mode 0600, its sidecar 0600, in a 0700 directory', async () => {
    const dataDir = tempDataDir();
    const keyId = await new LocalKeyVault({ dataDir }).createKey('ECC_NIST_P256', TAGS);
    expect(keyId).toMatch(/^local:[0-9a-f-]{36}$/);
    const keysDir = join(dataDir, 'keys');
    const pem = join(keysDir, `${uuidOf(keyId)}.pem`);
    const sidecar = join(keysDir, `${uuidOf(keyId)}.json`);
    expect(mode(keysDir)).toBe(0o700);
    expect(mode(pem)).toBe(0o600);
    expect(mode(sidecar)).toBe(0o600);
    expect(readFileSync(pem, 'utf8').startsWith(`-----BEGIN ${PEM_LABEL}-----\n`)).toBe(true);
    expect(JSON.parse(readFileSync(sidecar, 'utf8'))).toEqual({ spec: 'ECC_NIST_P256', tags: TAGS });
    expect(readdirSync(keysDir).sort()).toEqual([`${uuidOf(keyId)}.json`, `${uuidOf(keyId)}.pem`].sort());
  });

  it('tightens an existing, loosely created keys directory to 0700', async () => {
    const dataDir = tempDataDir();
    mkdirSync(join(dataDir, 'keys'), { mode: 0o755 });
    await new LocalKeyVault({ dataDir }).createKey('ECC_NIST_P256', TAGS);
    expect(mode(join(dataDir, 'keys'))).toBe(0o700);
  });

  it('survives a restart: a new instance on the same directory signs with the same key', async () => {
    const dataDir = tempDataDir();
    const before = new LocalKeyVault({ dataDir });
    const ecKey = await before.createKey('ECC_NIST_P256', TAGS);
    const rsaKey = await before.createKey('RSA_2048', { tenantId: 't_local', purpose: 'root-ca' });
    const ecSpki = await before.getPublicKey(ecKey);
    const rsaSpki = await before.getPublicKey(rsaKey);

    const after = new LocalKeyVault({ dataDir });
    expect(await after.getPublicKey(ecKey)).toEqual(ecSpki);
    expect(await after.getPublicKey(rsaKey)).toEqual(rsaSpki);
    const message = new TextEncoder().encode('after restart');
    expect(verifySignature(ecSpki, message, await after.sign(ecKey, message, 'ECDSA_SHA_256'))).toBe(true);
    expect(verifySignature(rsaSpki, message, await after.sign(rsaKey, message, 'RSASSA_PKCS1_V1_5_SHA_256'))).toBe(
      true,
    );
    expect(await after.tagsOf(rsaKey)).toEqual({ tenantId: 't_local', purpose: 'root-ca' });
  });

  it('refuses key ids that are not local:<uuid>, even when a traversal target exists', async () => {
    const dataDir = tempDataDir();
    const vault = new LocalKeyVault({ dataDir });
    const keyId = await vault.createKey('ECC_NIST_P256', TAGS);
    const uuid = uuidOf(keyId);
    // Plant a valid key pair outside keys/ where a naive join(dir, id) would find it.
    copyFileSync(join(dataDir, 'keys', `${uuid}.pem`), join(dataDir, 'evil.pem'));
    copyFileSync(join(dataDir, 'keys', `${uuid}.json`), join(dataDir, 'evil.json'));
    const fresh = new LocalKeyVault({ dataDir });
    for (const bad of [
      'local:../evil',
      '../evil',
      `local:${uuid}/../../evil`,
      `local:${uuid.toUpperCase()}`,
      `local:${uuid}.pem`,
      `local:${uuid}\n`,
      uuid,
      `mem-key-${uuid}`,
    ]) {
      await expectKakuninError(fresh.getPublicKey(bad), 'NOT_FOUND');
      await expectKakuninError(fresh.sign(bad, new Uint8Array(1), 'ECDSA_SHA_256'), 'NOT_FOUND');
    }
    expect(await fresh.getPublicKey(keyId)).toEqual(await vault.getPublicKey(keyId));
  });

  it('treats a key whose sidecar is missing as absent, and a corrupt key file as a 503', async () => {
    const dataDir = tempDataDir();
    const vault = new LocalKeyVault({ dataDir });
    const missing = await vault.createKey('ECC_NIST_P256', TAGS);
    const corrupt = await vault.createKey('ECC_NIST_P256', TAGS);
    rmSync(join(dataDir, 'keys', `${uuidOf(missing)}.json`));
    writeFileSync(
      join(dataDir, 'keys', `${uuidOf(corrupt)}.pem`),
      `-----BEGIN ${PEM_LABEL}-----\nAAAA\n-----END ${PEM_LABEL}-----\n`,
    );
    const fresh = new LocalKeyVault({ dataDir });
    await expectKakuninError(fresh.getPublicKey(missing), 'NOT_FOUND');
    const error = await expectKakuninError(fresh.sign(corrupt, new Uint8Array(1), 'ECDSA_SHA_256'), 'UNAVAILABLE');
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.message).not.toContain(PEM_LABEL);
  });

  it('refuses a sidecar whose spec does not match the stored key', async () => {
    const dataDir = tempDataDir();
    const keyId = await new LocalKeyVault({ dataDir }).createKey('ECC_NIST_P256', TAGS);
    writeFileSync(join(dataDir, 'keys', `${uuidOf(keyId)}.json`), JSON.stringify({ spec: 'RSA_2048', tags: TAGS }));
    await expectKakuninError(
      new LocalKeyVault({ dataDir }).sign(keyId, new Uint8Array(1), 'RSASSA_PKCS1_V1_5_SHA_256'),
      'UNAVAILABLE',
    );
  });

  it('validates tags before creating anything', async () => {
    const dataDir = tempDataDir();
    const vault = new LocalKeyVault({ dataDir });
    await expectKakuninError(vault.createKey('ECC_NIST_P256', { tenantId: '', purpose: 'agent' }), 'INVALID_REQUEST');
    await expectKakuninError(
      vault.createKey('ECC_NIST_P256', { tenantId: 't', purpose: 'nope' as KeyTags['purpose'] }),
      'INVALID_REQUEST',
    );
    await expectKakuninError(vault.createKey('RSA_1024' as never, TAGS), 'INVALID_REQUEST');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
