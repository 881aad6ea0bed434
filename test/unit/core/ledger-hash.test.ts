import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';

describe('ledger hash chain', () => {
  it('verifies an untouched chain and reports the first altered entry', async () => {
    const ledger = new MemoryLedger({ now: () => 1_700_000_000_000 });
    for (let i = 0; i < 5; i += 1) {
      await ledger.append({ tenantId: 't1', actorId: 'a_1', type: 'action.verified', nonce: `n${i}` });
    }
    expect(await ledger.verify('t1')).toMatchObject({ valid: true, entries: 5, head: { seq: 4 } });
    const chain = ledger.rawChain('t1');
    chain[2] = { ...chain[2]!, nonce: 'tampered' };
    expect(await ledger.verify('t1')).toMatchObject({ valid: false, firstInvalidSeq: 2 });
  });

  it('reports a removed entry', async () => {
    const ledger = new MemoryLedger();
    for (let i = 0; i < 3; i += 1) await ledger.append({ tenantId: 't1', actorId: 'a_1', type: 'action.rejected' });
    ledger.rawChain('t1').splice(1, 1);
    expect(await ledger.verify('t1')).toMatchObject({ valid: false, firstInvalidSeq: 1 });
  });
});
