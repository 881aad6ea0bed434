/**
 * The log archive in local mode: files under `<dataDir>/log/<tenant id>/<path>` (C2SP tlog-tiles paths, `checkpoint`,
 * `checkpoints/<size>`), written to a temporary name and renamed, in 0700 directories. Tenant ids and paths are
 * checked against a strict pattern, so nothing can escape the directory.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DependencyError } from '../../core/errors.js';
import type { LogArchive } from '../../ports.js';

const SAFE_TENANT = /^[A-Za-z0-9_-]{1,128}$/;
const SAFE_PATH = /^[a-z]+(\/[A-Za-z0-9.]+)*$/;

export class LocalLogArchive implements LogArchive {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'log');
  }

  async put(tenantId: string, path: string, bytes: Uint8Array): Promise<void> {
    const file = this.file(tenantId, path);
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const temporary = `${file}.${randomUUID()}.tmp`;
      await writeFile(temporary, bytes, { mode: 0o600 });
      await rename(temporary, file);
    } catch (error) {
      throw new DependencyError('cannot write the log archive', error);
    }
  }

  async get(tenantId: string, path: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.file(tenantId, path)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DependencyError('cannot read the log archive', error);
    }
  }

  private file(tenantId: string, path: string): string {
    if (!SAFE_TENANT.test(tenantId) || !SAFE_PATH.test(path) || path.split('/').some((p) => p === '..' || p === '.')) {
      throw new DependencyError('invalid log archive path');
    }
    return join(this.root, tenantId, ...path.split('/'));
  }
}
