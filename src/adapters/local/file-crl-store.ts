/**
 * Local mode's CrlStore: `<dataDir>/crl/<tenant>.json` (0600 in a 0700 directory), written to a temporary file,
 * flushed and renamed over the old one, so a crash leaves either the old CRL or the new one, never a torn file.
 * One server owns a data directory, so an in-process queue orders the writes.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { CrlStore, PublishedCrl } from '../../ports.js';

interface CrlFile {
  der: string;
  crlNumber: string;
  thisUpdate: number;
  nextUpdate: number;
  revision: string;
}

export class FileCrlStore implements CrlStore {
  private readonly directory: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.directory = join(dataDir, 'crl');
  }

  async get(tenantId: string): Promise<PublishedCrl | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(tenantId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const file = JSON.parse(text) as CrlFile;
    return {
      der: new Uint8Array(Buffer.from(file.der, 'base64')),
      crlNumber: BigInt(file.crlNumber),
      thisUpdate: file.thisUpdate,
      nextUpdate: file.nextUpdate,
      revision: BigInt(file.revision),
    };
  }

  async tenants(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .map((name) => /^([0-9a-f]+)\.json$/.exec(name)?.[1])
      .filter((hex): hex is string => hex !== undefined)
      .map((hex) => Buffer.from(hex, 'hex').toString('utf8'));
  }

  put(tenantId: string, crl: PublishedCrl): Promise<void> {
    const write = this.queue.then(() => this.write(tenantId, crl));
    this.queue = write.catch(() => undefined);
    return write;
  }

  private async write(tenantId: string, crl: PublishedCrl): Promise<void> {
    const stored = await this.get(tenantId);
    if (stored !== undefined && stored.crlNumber >= crl.crlNumber) return;
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const file: CrlFile = {
      der: Buffer.from(crl.der).toString('base64'),
      crlNumber: crl.crlNumber.toString(),
      thisUpdate: crl.thisUpdate,
      nextUpdate: crl.nextUpdate,
      revision: crl.revision.toString(),
    };
    const temporary = `${this.path(tenantId)}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(file));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.path(tenantId));
    const directory = await open(this.directory, 'r');
    try {
      await directory.sync(); // the rename itself survives a power loss
    } finally {
      await directory.close();
    }
  }

  /** Tenant ids are hex-encoded into the file name: no path separator or dot can reach the file system. */
  private path(tenantId: string): string {
    return join(this.directory, `${Buffer.from(tenantId, 'utf8').toString('hex')}.json`);
  }
}
