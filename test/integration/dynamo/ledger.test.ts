import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../../src/adapters/aws/dynamo/ledger.js';
import { KakuninError } from '../../../src/core/errors.js';
import { GENESIS_HASH } from '../../../src/core/ledger-hash.js';
import { concurrently, freshTenant, TestClock, useEmulators } from '../support/emulators.js';
import { auditInput } from '../support/records.js';

const env = useEmulators();
const T0 = 1_764_190_000_000;

describe('DynamoLedger against dynalite', () => {
  it('30 concurrent appends from 6 independent writers: seq 1..30 gapless, chain valid', async () => {
    const tenant = freshTenant();
    const clock = new TestClock(T0);
    // Separate instances behave like separate Lambda containers: no shared cache, only the conditional put.
    const writers = Array.from(
      { length: 6 },
      () => new DynamoLedger(env().doc, env().tableNames, clock, { maxAttempts: 40 }),
    );
    const appended = await concurrently(30, (i) => writers[i % writers.length]!.append(auditInput(tenant, i)));
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const verification = await writers[0]!.verify(tenant);
    const head = appended.find((e) => e.seq === 30)!;
    expect(verification).toEqual({ valid: true, entries: 30, head: { seq: 30, hash: head.hash } });
  });

  it('30 fully independent single-append writers racing for the head still build one chain', async () => {
    const tenant = freshTenant();
    const appended = await concurrently(30, (i) =>
      new DynamoLedger(env().doc, env().tableNames, new TestClock(T0), { maxAttempts: 60 }).append(
        auditInput(tenant, i),
      ),
    );
    expect(new Set(appended.map((e) => e.seq)).size).toBe(30);
    expect((await new DynamoLedger(env().doc, env().tableNames).verify(tenant)).valid).toBe(true);
  });

  it('stores entries exactly as returned, linked from the genesis hash', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    const first = await ledger.append(auditInput(tenant, 1));
    const second = await ledger.append({ tenantId: tenant, actorId: 'admin', type: 'agent.created' });
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, createdAt: T0, tenantId: tenant });
    expect(first.id).toMatch(/^aud_[0-9a-f]{32}$/);
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    const page = await ledger.list(tenant, { limit: 10 });
    expect(page.items).toEqual([first, second]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('verify() reports the first invalid seq after a raw PutItem tampers with a stored entry', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    for (let i = 0; i < 5; i += 1) await ledger.append(auditInput(tenant, i));
    const key = { pk: tenant, sk: 3 };
    const stored = await env().doc.send(new GetCommand({ TableName: env().tableNames.ledger, Key: key }));
    const payload = JSON.parse(String(stored.Item?.payloadJson)) as { amount: number };
    await env().doc.send(
      new PutCommand({
        TableName: env().tableNames.ledger,
        Item: { ...stored.Item, payloadJson: JSON.stringify({ ...payload, amount: 1_000_000 }) },
      }),
    );
    expect(await ledger.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: 3 });
  });

  it('verify() notices a changed top-level attribute and a non-JSON payload', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    for (let i = 0; i < 4; i += 1) await ledger.append(auditInput(tenant, i));
    const table = env().tableNames.ledger;
    const second = await env().doc.send(new GetCommand({ TableName: table, Key: { pk: tenant, sk: 2 } }));
    await env().doc.send(new PutCommand({ TableName: table, Item: { ...second.Item, actorId: 'someone-else' } }));
    expect(await ledger.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: 2 });
    const first = await env().doc.send(new GetCommand({ TableName: table, Key: { pk: tenant, sk: 1 } }));
    await env().doc.send(new PutCommand({ TableName: table, Item: { ...first.Item, payloadJson: '{not json' } }));
    expect(await ledger.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: 1 });
  });

  it('an empty ledger verifies as valid with no head', async () => {
    const ledger = new DynamoLedger(env().doc, env().tableNames);
    expect(await ledger.verify(freshTenant())).toEqual({ valid: true, entries: 0, head: null });
  });

  it('lists oldest first with filters and an opaque cursor', async () => {
    const tenant = freshTenant();
    const clock = new TestClock(T0);
    const ledger = new DynamoLedger(env().doc, env().tableNames, clock);
    for (let i = 0; i < 9; i += 1) {
      await ledger.append(auditInput(tenant, i));
      clock.advance(1_000);
    }
    const firstPage = await ledger.list(tenant, { limit: 4 });
    expect(firstPage.items.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    const secondPage = await ledger.list(tenant, { limit: 4, cursor: firstPage.nextCursor! });
    expect(secondPage.items.map((e) => e.seq)).toEqual([5, 6, 7, 8]);
    const lastPage = await ledger.list(tenant, { limit: 4, cursor: secondPage.nextCursor! });
    expect(lastPage.items.map((e) => e.seq)).toEqual([9]);
    expect(lastPage.nextCursor).toBeUndefined();

    const odd = await ledger.list(tenant, { limit: 2, actorId: 'agent-odd' });
    expect(odd.items.map((e) => e.seq)).toEqual([2, 4]);
    const oddRest = await ledger.list(tenant, { limit: 10, actorId: 'agent-odd', cursor: odd.nextCursor! });
    expect(oddRest.items.map((e) => e.seq)).toEqual([6, 8]);

    const window = await ledger.list(tenant, { limit: 10, from: T0 + 2_000, to: T0 + 4_000 });
    expect(window.items.map((e) => e.seq)).toEqual([3, 4, 5]);
    // Entries from another tenant never appear.
    expect((await ledger.list(freshTenant(), { limit: 10 })).items).toEqual([]);
  });

  it('rejects malformed cursors and limits with INVALID_REQUEST', async () => {
    const ledger = new DynamoLedger(env().doc, env().tableNames);
    const tenant = freshTenant();
    const bad = [
      '!!!',
      Buffer.from('not json').toString('base64url'),
      Buffer.from('{"seq":-1}').toString('base64url'),
      Buffer.from('{"seq":"1"}').toString('base64url'),
      Buffer.from('[1]').toString('base64url'),
    ];
    for (const cursor of bad) {
      await expect(ledger.list(tenant, { limit: 5, cursor })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'cursor',
      });
    }
    for (const limit of [0, -1, 1.5, 100_000]) {
      await expect(ledger.list(tenant, { limit })).rejects.toBeInstanceOf(KakuninError);
    }
  });

  it('a writer with a stale cached head recovers through the conditional put', async () => {
    const tenant = freshTenant();
    const a = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    const b = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    await a.append(auditInput(tenant, 0)); // a caches head 1
    await b.append(auditInput(tenant, 1)); // b reads head 1, writes 2
    const third = await a.append(auditInput(tenant, 2)); // a's cache says 1: conflict on 2, refresh, write 3
    expect(third.seq).toBe(3);
    expect((await a.verify(tenant)).valid).toBe(true);
  });
});

describe('DynamoLedger group commit (blocks) against dynalite', () => {
  it('concurrent appends in one process share PutItems; seq gapless, chain valid, entries returned as stored', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    const appended = await concurrently(40, (i) => ledger.append(auditInput(tenant, i)));
    expect(appended.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await ledger.verify(tenant)).toEqual({
      valid: true,
      entries: 40,
      head: { seq: 40, hash: appended[39]!.hash },
    });
    const items = await env().doc.send(
      new QueryCommand({
        TableName: env().tableNames.ledger,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': tenant },
      }),
    );
    expect(items.Items!.length).toBeLessThan(40);
    expect(items.Items!.some((item) => item.blockJson !== undefined)).toBe(true);
    expect((await ledger.list(tenant, { limit: 100 })).items).toEqual(appended);
  });

  it('lists across blocks with a cursor and filters, exactly as for single items', async () => {
    const tenant = freshTenant();
    const clock = new TestClock(T0);
    const ledger = new DynamoLedger(env().doc, env().tableNames, clock);
    for (let round = 0; round < 4; round += 1) {
      await concurrently(7, (i) => ledger.append(auditInput(tenant, round * 7 + i)));
      clock.advance(1_000);
    }
    const all = (await ledger.list(tenant, { limit: 1000 })).items;
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
    const pages: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = await ledger.list(tenant, { limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.flat()).toEqual(all.map((e) => e.seq));
    const odd = await ledger.list(tenant, { limit: 100, actorId: 'agent-odd' });
    expect(odd.items.map((e) => e.seq)).toEqual(all.filter((e) => e.actorId === 'agent-odd').map((e) => e.seq));
    const second = await ledger.list(tenant, { limit: 100, from: T0 + 1_000, to: T0 + 1_000 });
    expect(second.items.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12, 13, 14]);
  });

  it('verify() reports the seq of a tampered entry inside a block', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    await ledger.append(auditInput(tenant, 0));
    await concurrently(6, (i) => ledger.append(auditInput(tenant, i + 1)));
    const table = env().tableNames.ledger;
    const out = await env().doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': tenant },
      }),
    );
    const block = out.Items!.find((item) => item.blockJson !== undefined)!;
    const entries = JSON.parse(String(block.blockJson)) as { seq: number; actorId: string }[];
    const target = entries[1]!;
    target.actorId = 'someone-else';
    await env().doc.send(new PutCommand({ TableName: table, Item: { ...block, blockJson: JSON.stringify(entries) } }));
    expect(await ledger.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: target.seq });
  });

  it("a writer with a stale head cannot write inside another writer's block: it conflicts and continues after it", async () => {
    const tenant = freshTenant();
    const a = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    const b = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    await a.append(auditInput(tenant, 0));
    await b.append(auditInput(tenant, 1)); // b caches head 2
    const block = await concurrently(5, (i) => a.append(auditInput(tenant, 10 + i))); // a: conflict on 2, then 3..7
    expect(block.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
    const next = await b.append(auditInput(tenant, 20)); // b's head (2) is stale: conflict on 3, re-read, 8
    expect(next.seq).toBe(8);
    expect(await a.verify(tenant)).toMatchObject({ valid: true, entries: 8 });
  });
});
