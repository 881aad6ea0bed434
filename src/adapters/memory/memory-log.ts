/** In-memory checkpoint store and log archive: the unit-test fakes of CheckpointStore and LogArchive. */
import type { CheckpointStore, LogArchive, StoredCheckpoint } from '../../ports.js';

export class MemoryCheckpointStore implements CheckpointStore {
  private readonly byTenant = new Map<string, StoredCheckpoint[]>();

  async put(tenantId: string, checkpoint: StoredCheckpoint): Promise<StoredCheckpoint> {
    const list = this.byTenant.get(tenantId) ?? [];
    const existing = list.find((c) => c.size === checkpoint.size);
    if (existing) return existing;
    list.push({ ...checkpoint });
    list.sort((a, b) => a.size - b.size);
    this.byTenant.set(tenantId, list);
    return checkpoint;
  }

  async latest(tenantId: string): Promise<StoredCheckpoint | undefined> {
    return this.byTenant.get(tenantId)?.at(-1);
  }

  async list(tenantId: string): Promise<StoredCheckpoint[]> {
    return [...(this.byTenant.get(tenantId) ?? [])];
  }
}

export class MemoryLogArchive implements LogArchive {
  readonly objects = new Map<string, Uint8Array>();

  async put(tenantId: string, path: string, bytes: Uint8Array): Promise<void> {
    this.objects.set(`${tenantId}/${path}`, new Uint8Array(bytes));
  }

  async get(tenantId: string, path: string): Promise<Uint8Array | undefined> {
    return this.objects.get(`${tenantId}/${path}`);
  }
}
