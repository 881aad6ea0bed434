/**
 * Local mode's ledger checkpoint key: an Ed25519 key in the local vault whose id is kept in
 * `<dataDir>/keys/checkpoint-key-id`, so a restarted server signs with the same key and old checkpoints keep verifying
 * with the one published verifier key. Created on first start.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_KEY_TAGS } from '../app/audit-log-factory.js';
import type { KeyVault } from '../ports.js';

export async function ensureCheckpointKey(vault: KeyVault, dataDir: string): Promise<string> {
  const file = join(dataDir, 'keys', 'checkpoint-key-id');
  try {
    const id = (await readFile(file, 'utf8')).trim();
    await vault.getPublicKey(id);
    return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const id = await vault.createKey('ECC_NIST_EDWARDS25519', CHECKPOINT_KEY_TAGS);
  await writeFile(file, `${id}\n`, { mode: 0o600, flag: 'wx' });
  return id;
}
