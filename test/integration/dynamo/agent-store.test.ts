import { describe, expect, it } from 'vitest';
import { DynamoAgentStore } from '../../../src/adapters/aws/dynamo/agent-store.js';
import { encodeCursor } from '../../../src/adapters/aws/dynamo/dynamo-support.js';
import { concurrently, freshTenant, useEmulators } from '../support/emulators.js';
import { agentRecord } from '../support/records.js';

const env = useEmulators();
const store = () => new DynamoAgentStore(env().doc, env().tableNames);

describe('DynamoAgentStore against dynalite', () => {
  it('creates, reads back exactly, and refuses a duplicate id with CONFLICT', async () => {
    const tenant = freshTenant();
    const agent = agentRecord(tenant, 'agent-1', { parentAgentId: 'agent-0' });
    await store().create(agent);
    expect(await store().get(tenant, 'agent-1')).toEqual(agent);
    await expect(store().create({ ...agent, name: 'other' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await store().get(tenant, 'missing')).toBeUndefined();
    expect(await store().get(freshTenant(), 'agent-1')).toBeUndefined();
  });

  it('of concurrent creates of one id exactly one succeeds', async () => {
    const tenant = freshTenant();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store().create(agentRecord(tenant, 'same', { name: `n${i}` }))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });

  it('updates only the mutable fields and returns the stored record', async () => {
    const tenant = freshTenant();
    const agent = agentRecord(tenant, 'agent-u');
    await store().create(agent);
    const updated = await store().update(tenant, 'agent-u', {
      mode: 'enforce',
      status: 'suspended',
      metadata: { replaced: true },
    });
    expect(updated).toEqual({ ...agent, mode: 'enforce', status: 'suspended', metadata: { replaced: true } });
    expect(await store().get(tenant, 'agent-u')).toEqual(updated);
    expect(await store().update(tenant, 'agent-u', {})).toEqual(updated);
    await expect(store().update(tenant, 'ghost', { mode: 'enforce' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store().update(tenant, 'ghost', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store().get(tenant, 'ghost')).toBeUndefined();
  });

  it('lists a tenant in id order with an opaque cursor', async () => {
    const tenant = freshTenant();
    const ids = Array.from({ length: 7 }, (_, i) => `a_${String(i).padStart(16, '0')}`);
    await concurrently(ids.length, (i) => store().create(agentRecord(tenant, ids[i]!)));
    await store().create(agentRecord(freshTenant(), 'agent-other-tenant'));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store().list(tenant, 3, cursor);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const exact = await store().list(tenant, 7);
    expect(exact.items).toHaveLength(7);
    expect(exact.nextCursor).toBeUndefined();
    await expect(store().list(tenant, 3, '%%%')).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'cursor' });
    await expect(store().list(tenant, 0)).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'limit' });
  });

  it('refuses a well-formed cursor naming an impossible id as INVALID_REQUEST, never 503', async () => {
    const tenant = freshTenant();
    const impossible = [
      encodeCursor({ id: '' }),
      encodeCursor({ id: 'x'.repeat(513) }),
      encodeCursor({ seq: 1 }),
      // Before ids were checked, these reached DynamoDB as start keys: a name that is no agent id, an id past the
      // 1 KiB sort-key limit in UTF-8, one with an extra field.
      encodeCursor({ id: 'zzz' }),
      encodeCursor({ id: `a_${'界'.repeat(400)}` }),
      encodeCursor({ id: 'a_0000000000000001', tenantId: 'other' }),
    ];
    for (const cursor of impossible) {
      await expect(store().list(tenant, 3, cursor)).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'cursor' });
    }
  });

  it('fills a page past the 1 MB Query cap and its cursor reaches every agent', async () => {
    const tenant = freshTenant();
    const metadata = { blob: 'x'.repeat(4000) };
    const ids = Array.from({ length: 320 }, (_, i) => `a_${String(i).padStart(16, '0')}`);
    await concurrently(ids.length, (i) => store().create(agentRecord(tenant, ids[i]!, { metadata })));
    const all = await store().list(tenant, 1000);
    expect(all.items.map((a) => a.id)).toEqual(ids);
    expect(all.nextCursor).toBeUndefined();
    const first = await store().list(tenant, 300);
    expect(first.items).toHaveLength(300);
    expect(first.nextCursor).toBeDefined();
    const rest = await store().list(tenant, 300, first.nextCursor);
    expect(rest.items.map((a) => a.id)).toEqual(ids.slice(300));
    expect(rest.nextCursor).toBeUndefined();
  }, 60_000);
});
