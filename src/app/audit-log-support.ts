/** Helpers of the audit log service (audit-log.ts): its integrity error and the tile lookup that locates a rewrite. */
import { DependencyError } from '../core/errors.js';
import { HASH_BYTES, type Hash, sameHash } from '../core/ledger/merkle.js';
import { TILE_WIDTH, tilePath } from '../core/ledger/tiles.js';
import type { LogArchive } from '../ports.js';

/** The stored log disagrees with itself or with a signed checkpoint: nothing is signed (503; the auditor alarms). */
export class LedgerIntegrityError extends DependencyError {
  constructor(detail: string) {
    super(`ledger integrity check failed: ${detail}`);
  }
}

/**
 * The first seq ≥ `from` whose recomputed leaf hash differs from the one archived in the level-0 tiles written when
 * it was checkpointed (immutable: Object Lock when deployed). Undefined when the tiles do not tell (not archived).
 */
export async function locateInTiles(
  archive: LogArchive,
  tenantId: string,
  from: number,
  leaves: readonly Hash[],
): Promise<number | undefined> {
  let seq = from;
  while (seq < from + leaves.length) {
    const index = Math.floor(seq / TILE_WIDTH);
    const tile = await widestTile(archive, tenantId, index, seq - index * TILE_WIDTH + 1);
    if (tile === undefined) return undefined;
    const width = tile.length / HASH_BYTES;
    for (; seq < index * TILE_WIDTH + width && seq < from + leaves.length; seq += 1) {
      const archived = tile.subarray(
        (seq - index * TILE_WIDTH) * HASH_BYTES,
        (seq - index * TILE_WIDTH + 1) * HASH_BYTES,
      );
      if (!sameHash(archived, leaves[seq - from])) return seq;
    }
    if (width < TILE_WIDTH) return undefined;
  }
  return undefined;
}

/**
 * The level-0 tile `index` as archived: the full tile, else the widest partial one holding at least `minWidth` hashes
 * (each checkpoint wrote the partial tile of its size; any of them holds the same leaf hashes where they overlap).
 */
async function widestTile(archive: LogArchive, tenantId: string, index: number, minWidth: number) {
  for (let width = TILE_WIDTH; width >= Math.max(1, Math.min(minWidth, TILE_WIDTH)); width -= 1) {
    const bytes = await archive.get(tenantId, tilePath({ level: 0, index, width }));
    if (bytes !== undefined && bytes.length === width * HASH_BYTES) return bytes;
  }
  return undefined;
}
