import { describe, expect, it } from 'vitest';
import { DynamoApiKeyStore } from '../../../src/adapters/aws/dynamo/api-key-store.js';
import { DynamoCaStore } from '../../../src/adapters/aws/dynamo/ca-store.js';
import type { ApiKeyRecord } from '../../../src/core/model.js';
import { concurrently, freshTenant, useEmulators } from '../support/emulators.js';
import { caRecord } from '../support/records.js';

const env = useEmulators();
const caStore = () => new DynamoCaStore(env().doc, env().tableNames);
const apiKeys = () => new DynamoApiKeyStore(env().doc, env().tableNames);

describe('DynamoCaStore against dynalite', () => {
  it('keeps the first root of concurrent putRoot calls and returns it to every caller', async () => {
    expect(await caStore().getRoot()).toBeUndefined();
    const candidates = Array.from({ length: 8 }, (_, i) => caRecord(`root-${i}`));
    const stored = await concurrently(candidates.length, (i) => caStore().putRoot(candidates[i]!));
    const winner = stored[0]!;
    expect(candidates).toContainEqual(winner);
    expect(stored.every((r) => r.fingerprint === winner.fingerprint)).toBe(true);
    expect(await caStore().getRoot()).toEqual(winner);
  });

  it('creates a tenant once and returns the winner of a race', async () => {
    const id = freshTenant();
    const tenants = Array.from({ length: 5 }, (_, i) => ({ id, createdAt: i, issuingCa: caRecord(`${id}-${i}`) }));
    const stored = await concurrently(tenants.length, (i) => caStore().putTenant(tenants[i]!));
    expect(new Set(stored.map((t) => t.createdAt)).size).toBe(1);
    expect(await caStore().getTenant(id)).toEqual(stored[0]);
    expect(await caStore().getTenant(freshTenant())).toBeUndefined();
  });

  it('hands out CRL numbers 1..n exactly once each under concurrency, per tenant', async () => {
    const [a, b] = [freshTenant(), freshTenant()];
    const numbers = await concurrently(25, () => caStore().nextCrlNumber(a));
    expect(numbers.sort((x, y) => Number(x - y))).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(i + 1)));
    expect(await caStore().nextCrlNumber(b)).toBe(1n);
  });
});

describe('DynamoApiKeyStore against dynalite', () => {
  it('stores by key hash, reads back exactly, and refuses a duplicate hash', async () => {
    const record: ApiKeyRecord = {
      tenantId: freshTenant(),
      id: 'key-1',
      role: 'agent',
      agentId: 'agent-1',
      keyHash: 'ab'.repeat(32),
      createdAt: 1_764_190_000_000,
    };
    await apiKeys().put(record);
    expect(await apiKeys().getByHash(record.keyHash)).toEqual(record);
    await expect(apiKeys().put({ ...record, role: 'admin' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await apiKeys().getByHash(record.keyHash))?.role).toBe('agent');
    expect(await apiKeys().getByHash('cd'.repeat(32))).toBeUndefined();
  });
});
