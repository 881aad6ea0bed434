import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../../src/adapters/memory/memory-ledger.js';
import { canonicalString } from '../../../../src/core/canonical-json.js';
import { entryHash, GENESIS_HASH, sealEntry, sealLeaf, verifyChain } from '../../../../src/core/ledger-hash.js';
import type { AuditEntry } from '../../../../src/core/model.js';

type Unhashed = Omit<AuditEntry, 'hash'>;

const unhashedEntry = fc.record(
  {
    tenantId: fc.string(),
    // Strings that look like the member the leaf text is built around must not fool it.
    actorId: fc.oneof(fc.string(), fc.constant(',"id":"evil"')),
    certificateFingerprint: fc.option(fc.oneof(fc.string(), fc.constant('","id":')), { nil: undefined }),
    type: fc.constantFrom('action.verified' as const, 'action.rejected' as const),
    errorCode: fc.option(fc.constant('SCOPE_VIOLATION'), { nil: undefined }),
    payload: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ action: 'charge', value })),
    signature: fc.base64String(),
    nonce: fc.string(),
    timestamp: fc.nat(),
    riskScore: fc.double({ min: 0, max: 1, noNaN: true }),
    id: fc.string(),
    seq: fc.nat(),
    createdAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    prevHash: fc.constant(GENESIS_HASH),
  },
  { requiredKeys: ['tenantId', 'actorId', 'type', 'id', 'seq', 'createdAt', 'prevHash'] },
);

describe('sealEntry: one serialisation for hash and stored copy', () => {
  it('hashes exactly as entryHash does and stores the JSON form of the entry', () => {
    fc.assert(
      fc.property(unhashedEntry, (unhashed) => {
        const sealed = sealEntry(unhashed as Unhashed);
        expect(sealed.hash).toBe(entryHash(unhashed as Unhashed));
        const { hash, ...stored } = sealed;
        expect(stored).toEqual(JSON.parse(JSON.stringify(unhashed)));
        expect(entryHash(sealed)).toBe(hash);
        // A chain of two sealed entries verifies.
        const first = sealEntry({ ...(unhashed as Unhashed), seq: 0, prevHash: GENESIS_HASH });
        const second = sealEntry({ ...(unhashed as Unhashed), seq: 1, prevHash: first.hash });
        expect(verifyChain([first, second])).toMatchObject({ valid: true, entries: 2 });
      }),
      { numRuns: 300 },
    );
  });

  it('shares no object with the caller and drops undefined fields', () => {
    const payload = { action: 'charge', nested: { list: [1, 2] }, gone: undefined };
    const input: Unhashed = {
      tenantId: 't',
      actorId: 'a',
      type: 'action.verified',
      payload,
      id: 'x',
      seq: 0,
      createdAt: '2026-11-30T09:00:00.000Z',
      prevHash: GENESIS_HASH,
      riskScore: undefined,
    };
    const sealed = sealEntry(input);
    payload.nested.list.push(3);
    expect(sealed.payload).toEqual({ action: 'charge', nested: { list: [1, 2] } });
    expect(Object.hasOwn(sealed, 'riskScore')).toBe(false);
    expect(verifyChain([sealed])).toMatchObject({ valid: true, entries: 1 });
  });

  it('ignores a stray hash field on the input, as entryHash does', () => {
    const base: Unhashed = {
      tenantId: 't',
      actorId: 'a',
      type: 'action.rejected',
      id: 'x',
      seq: 0,
      createdAt: '2026-11-30T09:00:00.000Z',
      prevHash: GENESIS_HASH,
    };
    const withHash = { ...base, hash: 'forged' } as Unhashed;
    expect(sealEntry(withHash).hash).toBe(sealEntry(base).hash);
  });

  it('fails closed on values JSON cannot carry instead of storing an altered entry', () => {
    const base: Unhashed = {
      tenantId: 't',
      actorId: 'a',
      type: 'action.verified',
      id: 'x',
      seq: 0,
      createdAt: '2026-11-30T09:00:00.000Z',
      prevHash: GENESIS_HASH,
    };
    expect(() => sealEntry({ ...base, riskScore: Number.NaN })).toThrow();
    expect(() => sealEntry({ ...base, payload: { action: 'a', f: () => 1 } })).toThrow();
    expect(() => sealEntry({ ...base, nonce: '\uD800' })).toThrow();
  });
});

describe('MemoryLedger with sealed entries', () => {
  it('keeps a valid chain over many appends and hands out frozen, detached entries', async () => {
    const ledger = new MemoryLedger({ now: () => 1_700_000_000_000 });
    const payload = { action: 'charge', amount: 1 };
    for (let i = 0; i < 50; i += 1) {
      await ledger.append({ tenantId: 't1', actorId: 'a_1', type: 'action.verified', payload, nonce: `n${i}` });
    }
    payload.amount = 2;
    const chain = ledger.rawChain('t1');
    expect(chain.every((entry) => (entry.payload as { amount: number }).amount === 1)).toBe(true);
    expect(Object.isFrozen(chain[0])).toBe(true);
    expect(await ledger.verify('t1')).toMatchObject({ valid: true, entries: 50, head: { seq: 49 } });
  });
});

describe('sealLeaf: the leaf text without a second canonicalisation', () => {
  it('is exactly the JCS form of the sealed entry, hash included, for any entry', () => {
    fc.assert(
      fc.property(unhashedEntry, (unhashed) => {
        const { entry, leaf } = sealLeaf(unhashed as Unhashed);
        expect(leaf).toBe(canonicalString(entry));
        expect(JSON.parse(leaf)).toEqual(entry);
      }),
      { numRuns: 500 },
    );
  });
});
