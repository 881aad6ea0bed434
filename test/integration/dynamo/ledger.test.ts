import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../../src/adapters/aws/dynamo/ledger.js';
import { canonicalString } from '../../../src/core/canonical-json.js';
import { KakuninError } from '../../../src/core/errors.js';
import { leafHash, rootOfLeaves } from '../../../src/core/ledger/merkle.js';
import { GENESIS_HASH } from '../../../src/core/ledger-hash.js';
import { concurrently, freshTenant, TestClock, useEmulators } from '../support/emulators.js';
import { auditInput } from '../support/records.js';

const env = useEmulators();
const T0 = 1_764_190_000_000;
const iso = (ms: number) => new Date(ms).toISOString();
const seqs = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('DynamoLedger against dynalite', () => {
  it('30 concurrent appends from 6 independent writers: seq 0..29 gapless, chain and tree valid', async () => {
    const tenant = freshTenant();
    const clock = new TestClock(T0);
    // Separate instances behave like separate Lambda containers: no shared cache, only the conditional put.
    const writers = Array.from(
      { length: 6 },
      () => new DynamoLedger(env().doc, env().tableNames, clock, { maxAttempts: 40 }),
    );
    const appended = await concurrently(30, (i) => writers[i % writers.length]!.append(auditInput(tenant, i)));
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(seqs(30));
    const verification = await writers[0]!.verify(tenant);
    const head = appended.find((e) => e.seq === 29)!;
    expect(verification).toEqual({ valid: true, entries: 30, head: { seq: 29, hash: head.hash } });
    const sorted = [...appended].sort((a, b) => a.seq - b.seq);
    const root = rootOfLeaves(sorted.map((e) => leafHash(canonicalString(e))));
    const tree = await writers[1]!.head(tenant);
    expect(tree.size).toBe(30);
    expect(Buffer.from(rootOfLeaves([]))).not.toEqual(Buffer.from(root));
    const { rootOfFrontier } = await import('../../../src/core/ledger/merkle.js');
    expect(Buffer.from(rootOfFrontier(tree.frontier))).toEqual(Buffer.from(root));
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

  it('a burst from many containers with the default options: no append fails on contention alone', async () => {
    // 160 appends from 40 independent writers (separate Lambda containers): each loser waits for the head and retries
    // within the time budget, so other callers' traffic never turns an audit into a 503.
    const tenant = freshTenant();
    const writers = Array.from({ length: 40 }, () => new DynamoLedger(env().doc, env().tableNames, new TestClock(T0)));
    const appended = await concurrently(160, (i) => writers[i % writers.length]!.append(auditInput(tenant, i)));
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(seqs(160));
    expect(await writers[0]!.verify(tenant)).toMatchObject({ valid: true, entries: 160 });
  });

  it('stores entries exactly as returned (the leaf text), linked from the genesis hash', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    const first = await ledger.append(auditInput(tenant, 1));
    const second = await ledger.append({ tenantId: tenant, actorId: 'admin', type: 'agent.created' });
    expect(first).toMatchObject({ seq: 0, prevHash: GENESIS_HASH, createdAt: iso(T0), tenantId: tenant });
    expect(first.id).toMatch(/^aud_0{16}[0-9a-f]{16}$/);
    expect(second).toMatchObject({ seq: 1, prevHash: first.hash });
    const page = await ledger.list(tenant, { limit: 10 });
    expect(page.items).toEqual([first, second]);
    expect(page.nextCursor).toBeUndefined();
    const stored = await env().doc.send(
      new GetCommand({ TableName: env().tableNames.ledger, Key: { pk: tenant, sk: 0 } }),
    );
    expect(stored.Item?.e).toBe(canonicalString(first));
  });

  it('verify() reports the first invalid seq after a raw PutItem alters a stored entry', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    for (let i = 0; i < 5; i += 1) await ledger.append(auditInput(tenant, i));
    const key = { pk: tenant, sk: 3 };
    const stored = await env().doc.send(new GetCommand({ TableName: env().tableNames.ledger, Key: key }));
    const entry = JSON.parse(String(stored.Item?.e)) as { payload: { amount: number } };
    entry.payload.amount = 1_000_000;
    await env().doc.send(
      new PutCommand({ TableName: env().tableNames.ledger, Item: { ...stored.Item, e: canonicalString(entry) } }),
    );
    expect(await ledger.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: 3 });
  });

  it('verify() notices non-JCS text, unparseable text and altered tree hashes', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    for (let i = 0; i < 4; i += 1) await ledger.append(auditInput(tenant, i));
    const table = env().tableNames.ledger;
    const read = async (sk: number) =>
      (await env().doc.send(new GetCommand({ TableName: table, Key: { pk: tenant, sk } }))).Item!;
    const third = await read(2);
    const nodes = Uint8Array.from(third.n as Uint8Array);
    nodes[0]! ^= 1;
    await env().doc.send(new PutCommand({ TableName: table, Item: { ...third, n: nodes } }));
    expect(await ledger.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: 2 });
    const second = await read(1);
    await env().doc.send(new PutCommand({ TableName: table, Item: { ...second, e: ` ${second.e}` } }));
    expect(await ledger.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: 1 });
    const first = await read(0);
    await env().doc.send(new PutCommand({ TableName: table, Item: { ...first, e: '{not json' } }));
    expect(await ledger.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: 0 });
  });

  it('an empty ledger verifies as valid with no head', async () => {
    const ledger = new DynamoLedger(env().doc, env().tableNames);
    expect(await ledger.verify(freshTenant())).toEqual({ valid: true, entries: 0, head: null });
  });

  it('lists oldest first with filters and a cursor', async () => {
    const tenant = freshTenant();
    const clock = new TestClock(T0);
    const ledger = new DynamoLedger(env().doc, env().tableNames, clock);
    for (let i = 0; i < 9; i += 1) {
      await ledger.append(auditInput(tenant, i, i === 4 ? { type: 'action.rejected' } : {}));
      clock.advance(1_000);
    }
    const firstPage = await ledger.list(tenant, { limit: 4 });
    expect(firstPage.items.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    const secondPage = await ledger.list(tenant, { limit: 4, cursor: firstPage.nextCursor! });
    expect(secondPage.items.map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    const lastPage = await ledger.list(tenant, { limit: 4, cursor: secondPage.nextCursor! });
    expect(lastPage.items.map((e) => e.seq)).toEqual([8]);
    expect(lastPage.nextCursor).toBeUndefined();

    const odd = await ledger.list(tenant, { limit: 2, actorId: 'agent-odd' });
    expect(odd.items.map((e) => e.seq)).toEqual([1, 3]);
    const oddRest = await ledger.list(tenant, { limit: 10, actorId: 'agent-odd', cursor: odd.nextCursor! });
    expect(oddRest.items.map((e) => e.seq)).toEqual([5, 7]);
    expect((await ledger.list(tenant, { limit: 10, type: 'action.rejected' })).items.map((e) => e.seq)).toEqual([4]);

    const window = await ledger.list(tenant, { limit: 10, from: T0 + 2_000, to: T0 + 4_000 });
    expect(window.items.map((e) => e.seq)).toEqual([2, 3, 4]);
    // Entries from another tenant never appear.
    expect((await ledger.list(freshTenant(), { limit: 10 })).items).toEqual([]);
  });

  it('a cursor is tamper-proof: forged, altered, reused with other filters or by another tenant → INVALID_REQUEST', async () => {
    const ledger = new DynamoLedger(env().doc, env().tableNames);
    const tenant = freshTenant();
    const other = freshTenant();
    for (let i = 0; i < 6; i += 1) {
      await ledger.append(auditInput(tenant, i));
      await ledger.append(auditInput(other, i));
    }
    const page = await ledger.list(tenant, { limit: 2 });
    const decoded = JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString()) as Record<string, unknown>;
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad = [
      '!!!',
      Buffer.from('not json').toString('base64url'),
      forge({ ...decoded, s: 3 }),
      forge({ ...decoded, s: -1 }),
      forge({ ...decoded, h: '0'.repeat(32) }),
      forge({ ...decoded, extra: 1 }),
      forge([1]),
    ];
    for (const cursor of bad) {
      await expect(ledger.list(tenant, { limit: 5, cursor })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'cursor',
      });
    }
    // Another tenant's valid cursor names an entry this tenant does not have.
    await expect(ledger.list(other, { limit: 5, cursor: page.nextCursor! })).rejects.toMatchObject({
      field: 'cursor',
    });
    await expect(ledger.list(tenant, { limit: 5, cursor: page.nextCursor!, actorId: 'x' })).rejects.toMatchObject({
      field: 'cursor',
    });
    for (const limit of [0, -1, 1.5, 100_000]) {
      await expect(ledger.list(tenant, { limit })).rejects.toBeInstanceOf(KakuninError);
    }
  });

  it('a writer with a stale cached head recovers through the conditional put', async () => {
    const tenant = freshTenant();
    const a = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    const b = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    await a.append(auditInput(tenant, 0)); // a caches head 0
    await b.append(auditInput(tenant, 1)); // b reads head 0, writes 1
    const third = await a.append(auditInput(tenant, 2)); // a's cache says 0: conflict on 1, refresh, write 2
    expect(third.seq).toBe(2);
    expect((await a.verify(tenant)).valid).toBe(true);
  });
});

describe('DynamoLedger group commit (blocks) against dynalite', () => {
  it('concurrent appends in one process share PutItems; seq gapless, chain valid, entries returned as stored', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    const appended = await concurrently(40, (i) => ledger.append(auditInput(tenant, i)));
    expect(appended.map((e) => e.seq)).toEqual(seqs(40));
    expect(await ledger.verify(tenant)).toEqual({
      valid: true,
      entries: 40,
      head: { seq: 39, hash: appended[39]!.hash },
    });
    const items = await env().doc.send(
      new QueryCommand({
        TableName: env().tableNames.ledger,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': tenant },
      }),
    );
    expect(items.Items!.length).toBeLessThan(40);
    expect(items.Items!.some((item) => String(item.e).includes('\n'))).toBe(true);
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
    expect(all.map((e) => e.seq)).toEqual(seqs(28));
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
    expect(second.items.map((e) => e.seq)).toEqual([7, 8, 9, 10, 11, 12, 13]);
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
    const block = out.Items!.find((item) => String(item.e).includes('\n'))!;
    const texts = String(block.e).split('\n');
    const target = JSON.parse(texts[1]!) as { seq: number; actorId: string };
    target.actorId = 'someone-else';
    texts[1] = canonicalString(target);
    await env().doc.send(new PutCommand({ TableName: table, Item: { ...block, e: texts.join('\n') } }));
    expect(await ledger.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: target.seq });
  });

  it("a writer with a stale head cannot write inside another writer's block: it conflicts and continues after it", async () => {
    const tenant = freshTenant();
    const a = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    const b = new DynamoLedger(env().doc, env().tableNames, new TestClock(T0));
    await a.append(auditInput(tenant, 0));
    await b.append(auditInput(tenant, 1)); // b caches head 1
    const block = await concurrently(5, (i) => a.append(auditInput(tenant, 10 + i))); // a: conflict on 1, then 2..6
    expect(block.map((e) => e.seq)).toEqual([2, 3, 4, 5, 6]);
    const next = await b.append(auditInput(tenant, 20)); // b's head (1) is stale: conflict on 2, re-read, 7
    expect(next.seq).toBe(7);
    expect(await a.verify(tenant)).toMatchObject({ valid: true, entries: 8 });
  });
});
