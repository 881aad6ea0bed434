/** C2SP tlog-tiles layout: which tiles a checkpoint adds, and which subtrees a tile holds. */
import { describe, expect, it } from 'vitest';
import { newTiles, tilePath, tileRanges } from '../../../../src/core/ledger/tiles.js';

describe('tlog-tiles', () => {
  it('a tree growing from 0 to 300 entries gets level-0 tiles 0 (full) and 1 (partial, 44) and one level-1 hash', () => {
    expect(newTiles(0, 300)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 0, index: 1, width: 44 },
      { level: 1, index: 0, width: 1 },
    ]);
    expect(newTiles(0, 300).map(tilePath)).toEqual(['tile/0/000', 'tile/0/001.p/44', 'tile/1/000.p/1']);
  });

  it('only what changed: nothing for the same size, a wider partial tile when it grew', () => {
    expect(newTiles(300, 300)).toEqual([]);
    expect(newTiles(300, 301)).toEqual([{ level: 0, index: 1, width: 45 }]);
    expect(newTiles(511, 512)).toEqual([
      { level: 0, index: 1, width: 256 },
      { level: 1, index: 0, width: 2 },
    ]);
    expect(newTiles(0, 65_536).at(-1)).toEqual({ level: 2, index: 0, width: 1 });
  });

  it('a tile at level L holds roots of 256^L-leaf subtrees', () => {
    expect(tileRanges({ level: 1, index: 0, width: 2 })).toEqual([
      [0, 256],
      [256, 512],
    ]);
    expect(tileRanges({ level: 0, index: 2, width: 1 })).toEqual([[512, 513]]);
  });
});
