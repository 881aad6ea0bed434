import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { MemoryAgentStore, MemoryApiKeyStore } from '../../../src/adapters/memory/memory-stores.js';
import { randomId } from '../../../src/app/agents.js';
import { createApiKey, ensureApiKey, findApiKey, generateApiKey, hashApiKey } from '../../../src/app/api-keys.js';
import { crlUrlFor } from '../../../src/app/assemble.js';

const counterRandom = () => {
  let next = 0;
  return { bytes: (n: number) => Uint8Array.from({ length: n }, () => next++ % 256) };
};

const deps = () => ({
  apiKeys: new MemoryApiKeyStore(),
  agents: new MemoryAgentStore(),
  ledger: new MemoryLedger(),
  clock: { now: () => 1_000 },
  random: counterRandom(),
});

describe('API keys', () => {
  it('generates kk_ + base64url of 32 random bytes and stores only the SHA-256', async () => {
    const d = deps();
    const { record, key } = await createApiKey(d, { tenantId: 't', role: 'admin', by: 'test' });
    expect(key).toMatch(/^kk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(3), 'base64url')).toEqual(Buffer.from(Array.from({ length: 32 }, (_, i) => i)));
    expect(record.keyHash).toBe(hashApiKey(key));
    expect(record.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(key);
    expect(await findApiKey(d.apiKeys, key)).toEqual(record);
    expect(await findApiKey(d.apiKeys, `${key}x`)).toBeUndefined();
    expect(await findApiKey(d.apiKeys, 'short')).toBeUndefined();
    const audit = d.ledger.rawChain('t');
    expect(audit.map((e) => e.type)).toEqual(['api_key.created']);
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  it('binds agent keys to an existing agent of the tenant only', async () => {
    const d = deps();
    await expect(createApiKey(d, { tenantId: 't', role: 'agent', by: 'x' })).rejects.toMatchObject({
      field: 'agentId',
    });
    await expect(createApiKey(d, { tenantId: 't', role: 'agent', agentId: 'a_1', by: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(createApiKey(d, { tenantId: 't', role: 'verifier', agentId: 'a_1', by: 'x' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });

  it('ensureApiKey is idempotent for an operator-chosen key and never rebinds it', async () => {
    const d = deps();
    const key = 'my-local-admin-key-123';
    const first = await ensureApiKey(d, { tenantId: 'local', role: 'admin', by: 'cli', key });
    expect(await ensureApiKey(d, { tenantId: 'local', role: 'admin', by: 'cli', key })).toEqual(first);
    await expect(ensureApiKey(d, { tenantId: 'other', role: 'admin', by: 'cli', key })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(generateApiKey(counterRandom())).not.toBe(key);
  });
});

describe('ids and URLs', () => {
  it('makes ids of the prefix and [0-9a-z] from the injected Random, uniformly (no bytes >= 252)', () => {
    expect(() => randomId({ bytes: (n) => new Uint8Array(n).fill(255) }, 'a_', 4)).toThrow(/random source/);
    expect(randomId({ bytes: (n) => Uint8Array.from({ length: n }, (_, i) => (i % 2 ? 253 : 35)) }, 'a_', 3)).toBe(
      'a_zzz',
    );
    expect(randomId(counterRandom(), 'a_')).toMatch(/^a_[0-9a-z]{20}$/);
  });

  it('points the CRL distribution point at the public route', () => {
    expect(crlUrlFor('https://api.example.com/', 'acme corp')).toBe(
      'https://api.example.com/v1/crl?tenant=acme%20corp',
    );
  });
});
