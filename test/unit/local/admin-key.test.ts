import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { MemoryAgentStore, MemoryApiKeyStore } from '../../../src/adapters/memory/memory-stores.js';
import { hashApiKey } from '../../../src/app/api-keys.js';
import { KakuninError } from '../../../src/core/errors.js';
import { ensureAdminKey } from '../../../src/local/admin-key.js';

const clock = { now: () => 1_700_000_000_000 };
const deps = () => ({
  tenantId: 'local',
  apiKeys: new MemoryApiKeyStore(),
  agents: new MemoryAgentStore(),
  ledger: new MemoryLedger(clock),
  clock,
  random: { bytes: (n: number) => new Uint8Array(randomBytes(n)) },
});
const KEY = `kk_${'A'.repeat(43)}`;

describe('ensureAdminKey', () => {
  it('stores the hash of KAKUNIN_API_KEY once, as an admin key of the local tenant, audited', async () => {
    const d = deps();
    const first = await ensureAdminKey(d, KEY);
    expect(first).toEqual({ source: 'environment', keyId: expect.stringMatching(/^key_[0-9a-z]{20}$/) });
    expect(await ensureAdminKey(d, KEY)).toEqual(first);
    const stored = await d.apiKeys.getByHash(hashApiKey(KEY));
    expect(stored).toMatchObject({ tenantId: 'local', role: 'admin', createdAt: 1_700_000_000_000 });
    expect(first.source === 'environment' && first.keyId).toBe(stored?.id);
    expect(JSON.stringify(stored)).not.toContain(KEY);
    const audit = await d.ledger.list('local', { limit: 10 });
    expect(audit.items.map((e) => e.type)).toEqual(['api_key.created']);
  });

  it('generates a kk_ key of 32 random bytes when none is given, and stores only its hash', async () => {
    const d = deps();
    const outcome = await ensureAdminKey(d, undefined);
    if (outcome.source !== 'generated') throw new Error('expected a generated key');
    expect(outcome.key).toMatch(/^kk_[A-Za-z0-9_-]{43}$/);
    expect(await d.apiKeys.getByHash(hashApiKey(outcome.key))).toMatchObject({ role: 'admin', tenantId: 'local' });
    const again = await ensureAdminKey(d, '');
    expect(again.source === 'generated' && again.key).not.toBe(outcome.key);
  });

  it.each(['short', 'has a space in it!!', 'x'.repeat(257)])('refuses an unusable KAKUNIN_API_KEY %#', async (bad) => {
    const d = deps();
    const refusal = ensureAdminKey(d, bad);
    await expect(refusal).rejects.toBeInstanceOf(KakuninError);
    await expect(refusal).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'KAKUNIN_API_KEY' });
    expect((await d.ledger.list('local', { limit: 10 })).items).toEqual([]);
  });

  it('refuses a KAKUNIN_API_KEY already stored for another tenant', async () => {
    const d = deps();
    await d.apiKeys.put({ tenantId: 'other', id: 'key_o', role: 'admin', keyHash: hashApiKey(KEY), createdAt: 0 });
    await expect(ensureAdminKey(d, KEY)).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'KAKUNIN_API_KEY' });
  });

  it('refuses a KAKUNIN_API_KEY that is already a key with another role', async () => {
    const d = deps();
    await d.apiKeys.put({ tenantId: 'local', id: 'key_v', role: 'verifier', keyHash: hashApiKey(KEY), createdAt: 0 });
    await expect(ensureAdminKey(d, KEY)).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'KAKUNIN_API_KEY' });
  });
});
