/** RFC 8785 conformance of the canonicaliser the envelope signs with: the cyberphone test data, byte for byte. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../../../src/core/canonical-json.js';

const ROOT = join(import.meta.dirname, '../../../fixtures/vectors/jcs/cyberphone');
const names = readdirSync(join(ROOT, 'input')).filter((f) => f.endsWith('.json'));

describe('JCS: cyberphone/json-canonicalization test data', () => {
  it('has the vector files', () => {
    expect(names.sort()).toEqual([
      'arrays.json',
      'french.json',
      'structures.json',
      'unicode.json',
      'values.json',
      'weird.json',
    ]);
  });

  it.each(names)('%s canonicalises to output/ byte for byte (and to outhex/)', (name) => {
    const input: unknown = JSON.parse(readFileSync(join(ROOT, 'input', name), 'utf8'));
    const expected = readFileSync(join(ROOT, 'output', name));
    const hex = readFileSync(join(ROOT, 'outhex', name.replace(/\.json$/, '.txt')), 'utf8')
      .trim()
      .split(/\s+/)
      .join('');
    const actual = Buffer.from(canonicalBytes(input));
    expect(actual.equals(expected)).toBe(true);
    expect(actual.toString('hex')).toBe(hex.toLowerCase());
  });
});
