/**
 * C2SP tlog-tiles (https://c2sp.org/tlog-tiles) layout of the Merkle tree's hashes, as the checkpoint writer stores
 * them in the bucket (data directory locally) so existing tile clients can mirror and check the log. A tile at level
 * L, index N holds up to 256 hashes: hash i is the root of the perfect subtree of 256^L leaves starting at leaf
 * (N·256 + i)·256^L. A tile with fewer than 256 hashes is partial and lives at `<path>.p/<width>`.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

export interface TileRef {
  level: number;
  index: number;
  /** Hashes in the tile: 256, or fewer for a partial tile. */
  width: number;
}

/** `N` as zero-padded 3-digit path elements, all but the last prefixed with `x` (1234067 → x001/x234/067). */
export function encodeTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError('invalid tile index');
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

export function tilePath(tile: TileRef): string {
  const base = `tile/${tile.level}/${encodeTileIndex(tile.index)}`;
  return tile.width === TILE_WIDTH ? base : `${base}.p/${tile.width}`;
}

/** Leaves under one hash of a tile at `level`: 256^level. */
export function leavesPerHash(level: number): number {
  return TILE_WIDTH ** level;
}

/**
 * The tiles a tree of `size` has that a tree of `previous` did not (new full tiles, and the partial tile at the right
 * edge of each level when it grew). Writing these after each checkpoint keeps the tiles complete for `size`.
 */
export function newTiles(previous: number, size: number): TileRef[] {
  const tiles: TileRef[] = [];
  for (let level = 0; ; level += 1) {
    const perHash = leavesPerHash(level);
    const hashes = Math.floor(size / perHash);
    const before = Math.floor(previous / perHash);
    if (hashes === 0) break;
    for (let index = Math.floor(before / TILE_WIDTH); index * TILE_WIDTH < hashes; index += 1) {
      const width = Math.min(TILE_WIDTH, hashes - index * TILE_WIDTH);
      const widthBefore = Math.max(0, Math.min(TILE_WIDTH, before - index * TILE_WIDTH));
      if (width > widthBefore) tiles.push({ level, index, width });
    }
  }
  return tiles;
}

/** The perfect subtrees [start, end) whose hashes a tile holds, in order. */
export function tileRanges(tile: TileRef): [number, number][] {
  const perHash = leavesPerHash(tile.level);
  return Array.from({ length: tile.width }, (_, i) => {
    const start = (tile.index * TILE_WIDTH + i) * perHash;
    return [start, start + perHash] as [number, number];
  });
}
