/**
 * Cursor pagination through the SDK's paginator against the real handlers (docs/api.md §7 "Listing and export"): a
 * cursor another tenant was given, or one forged or altered by the caller, rejects the first page AND the iteration
 * with KakuninError 400 INVALID_REQUEST on `cursor`, and never yields another tenant's entries; a cursor the service
 * (or something between) hands out twice ends the iteration instead of looping for ever.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Kakunin } from '../../packages/sdk/src/index.js';
import { BASE_URL, createTestApi, harnessFetch, type TestApi } from './support/in-process-fetch.js';

let api: TestApi;
let t1: Kakunin;
let t2: Kakunin;
const sdk = (apiKey: string, fetch: typeof globalThis.fetch = harnessFetch(api)) =>
  new Kakunin({ baseUrl: BASE_URL, apiKey, fetch, retries: 0 });

beforeEach(async () => {
  api = await createTestApi();
  t1 = sdk(await api.key('t1', 'admin'));
  t2 = sdk(await api.key('t2', 'admin'));
  for (const name of ['one.a', 'one.b', 'one.c']) await t1.agents.create({ name });
  for (const name of ['two.a', 'two.b', 'two.c']) await t2.agents.create({ name });
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decoded = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>;
const REFUSED = { name: 'KakuninError', status: 400, code: 'INVALID_REQUEST', field: 'cursor' };

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('audit cursors through the SDK', () => {
  it("refuses another tenant's cursor, on the first page and in the iteration", async () => {
    const foreign = (await t2.audit.list({ limit: 1 })).nextCursor!;
    expect(foreign).toBeDefined();
    await expect(t1.audit.list({ limit: 1, cursor: foreign })).rejects.toMatchObject(REFUSED);
    await expect(drain(t1.audit.list({ limit: 1, cursor: foreign }))).rejects.toMatchObject(REFUSED);
  });

  it('refuses forged and altered cursors', async () => {
    const page = await t1.audit.list({ limit: 1 });
    const real = decoded(page.nextCursor!);
    const agentsCursor = (await t1.agents.list({ limit: 1 })).nextCursor!;
    const forged = [
      'not base64!',
      Buffer.from('not json').toString('base64url'),
      b64({ ...real, s: 999_999 }), // beyond the end
      b64({ ...real, s: 2 ** 53 }), // not a safe integer
      b64({ ...real, s: 1e308 }),
      b64({ ...real, s: -1 }),
      b64({ ...real, s: '0' }),
      b64({ ...real, h: 'f'.repeat(32) }), // the hash of no entry
      b64({ ...real, q: '0'.repeat(16) }), // other filters
      b64({ ...real, extra: 1 }),
      b64([real.s, real.h, real.q]),
      agentsCursor, // a cursor of another route
      'A'.repeat(512),
    ];
    for (const cursor of forged) {
      await expect(t1.audit.list({ limit: 1, cursor }), cursor).rejects.toMatchObject(REFUSED);
      await expect(drain(t1.audit.list({ limit: 1, cursor })), cursor).rejects.toMatchObject(REFUSED);
    }
    // A genuine cursor reused with other filters (the SDK's `type` filter) is refused too.
    await expect(t1.audit.list({ limit: 1, cursor: page.nextCursor!, type: 'agent.created' })).rejects.toMatchObject(
      REFUSED,
    );
  });

  it('pages through exactly its own tenant with the type filter', async () => {
    const entries = await drain(t1.audit.list({ limit: 1, type: 'agent.created' }));
    expect(entries.map((e) => e.type)).toEqual(['agent.created', 'agent.created', 'agent.created']);
    expect(new Set(entries.map((e) => (e as { tenantId?: string }).tenantId))).toEqual(new Set(['t1']));
  });
});

describe('agent cursors through the SDK', () => {
  it("never yields another tenant's agents, whatever the cursor", async () => {
    const own = new Set((await drain(t1.agents.list())).map((a) => a.id));
    const foreign = (await t2.agents.list({ limit: 1 })).nextCursor!;
    const listed = await drain(t1.agents.list({ limit: 1, cursor: foreign })).catch(() => []);
    for (const agent of listed) expect(own.has(agent.id)).toBe(true);
    await expect(t1.agents.list({ cursor: 'A'.repeat(513) })).rejects.toMatchObject(REFUSED);
  });
});

describe('a cursor handed out twice', () => {
  it('ends the iteration with an error instead of looping', async () => {
    let calls = 0;
    const looping: typeof fetch = async () => {
      calls += 1;
      const body = { items: [{ id: `aud_${calls}` }], nextCursor: calls % 2 === 0 ? 'B' : 'A' };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const seen: unknown[] = [];
    const run = async () => {
      for await (const entry of sdk('kk_x', looping).audit.list()) seen.push(entry);
    };
    await expect(run()).rejects.toMatchObject({ code: 'UNAVAILABLE', field: 'cursor' });
    expect(calls).toBe(3);
    expect(seen).toHaveLength(3);
  });
});
