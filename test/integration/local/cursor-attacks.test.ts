/**
 * Hostile cursors and list parameters over real HTTP against `kakunin dev` (dynalite stores, docs/api.md §7
 * "Listing and export", §2 `GET /v1/agents`), raw and through the SDK's paginator: every forged, altered or
 * misplaced cursor is 400 INVALID_REQUEST on `cursor`, a bad `limit` is 400 on `limit`, never a 5xx; a genuine cursor
 * still pages to the end without repeating an item.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kakunin } from '../../../packages/sdk/src/index.js';
import { type Call, client, str } from './api-client.js';
import { type DevProcess, newAdminKey, startDevProcess } from './dev-process.js';
import { scratchDir } from './openssl.js';

const dataDir = scratchDir('kakunin-it-cursors-');
const adminKey = newAdminKey();
let dev: DevProcess;
let admin: Call;
let kakunin: Kakunin;

beforeAll(async () => {
  dev = await startDevProcess({ dataDir, adminKey });
  admin = client(dev.url, adminKey);
  kakunin = new Kakunin({ baseUrl: dev.url, apiKey: adminKey, retries: 0 });
  for (const name of ['cursor.a', 'cursor.b', 'cursor.c', 'cursor.d']) {
    expect((await admin('POST', '/v1/agents', { name })).status).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  expect(await dev?.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decoded = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>;
const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

async function expectRefused(path: string, field: string): Promise<void> {
  const answer = await admin('GET', path);
  expect(answer.status, `${path} → ${answer.text}`).toBe(400);
  expect(answer.body).toMatchObject({ error: { code: 'INVALID_REQUEST', field } });
}

describe('GET /v1/audit with hostile cursors (local mode, real HTTP)', () => {
  it('refuses every forged, altered or misplaced cursor with 400 on cursor', async () => {
    const page = await admin('GET', `/v1/audit${q({ limit: '1' })}`);
    const cursor = str(page.body, 'nextCursor');
    const real = decoded(cursor);
    const agents = await admin('GET', `/v1/agents${q({ limit: '1' })}`);
    const forged = [
      '%%%',
      'not base64!',
      Buffer.from('not json').toString('base64url'),
      b64({ ...real, s: 999_999 }),
      b64({ ...real, s: 2 ** 53 }),
      b64({ ...real, s: 1e308 }),
      b64({ ...real, s: -1 }),
      b64({ ...real, h: 'f'.repeat(32) }),
      b64({ ...real, q: '0'.repeat(16) }),
      b64({ ...real, __proto__: null, extra: 1 }),
      b64(null),
      str(agents.body, 'nextCursor'),
      'A'.repeat(512),
    ];
    for (const bad of forged) await expectRefused(`/v1/audit${q({ limit: '1', cursor: bad })}`, 'cursor');
    // The genuine cursor with other filters than it was issued for.
    await expectRefused(`/v1/audit${q({ limit: '1', cursor, type: 'agent.created' })}`, 'cursor');
    await expectRefused(`/v1/audit${q({ limit: '1', cursor: 'A'.repeat(513) })}`, 'cursor');
  });

  it('refuses hostile limits with 400 on limit', async () => {
    for (const limit of ['0', '1001', '-1', '1.5', 'abc', '', '1e309']) {
      await expectRefused(`/v1/audit${q({ limit })}`, 'limit');
    }
  });

  it('the same cursors through the SDK paginator reject with KakuninError 400 on cursor', async () => {
    const first = await kakunin.audit.list({ limit: 1 });
    const real = decoded(first.nextCursor!);
    for (const cursor of [b64({ ...real, s: 999_999 }), b64({ ...real, h: '0'.repeat(32) }), 'not base64!']) {
      const refused = { status: 400, code: 'INVALID_REQUEST', field: 'cursor' };
      await expect(kakunin.audit.list({ limit: 1, cursor })).rejects.toMatchObject(refused);
      const drain = async () => {
        for await (const _ of kakunin.audit.list({ limit: 1, cursor })) {
          // nothing may be yielded before the refusal
          expect.unreachable();
        }
      };
      await expect(drain()).rejects.toMatchObject(refused);
    }
  });

  it('a genuine cursor pages to the end without repeating an entry', async () => {
    const seqs: number[] = [];
    for await (const entry of kakunin.audit.list({ limit: 2 })) seqs.push(entry.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(seqs.length).toBeGreaterThanOrEqual(4);
  });
});

describe('GET /v1/agents with hostile cursors (local mode, real HTTP)', () => {
  it('refuses cursors that name no agent with 400 on cursor', async () => {
    const audit = await admin('GET', `/v1/audit${q({ limit: '1' })}`);
    const forged = [
      '%%%',
      Buffer.from('[]').toString('base64url'),
      b64({ id: 'zzz' }),
      b64({ id: '' }),
      b64({ id: 5 }),
      b64({ id: `a_${'界'.repeat(100)}` }),
      b64({ id: 'a_0000000000000000', tenantId: 'someone-else' }),
      str(audit.body, 'nextCursor'),
      'A'.repeat(513),
    ];
    for (const bad of forged) await expectRefused(`/v1/agents${q({ limit: '1', cursor: bad })}`, 'cursor');
    await expect(kakunin.agents.list({ cursor: b64({ id: 'zzz' }) })).rejects.toMatchObject({
      status: 400,
      field: 'cursor',
    });
  });

  it('pages through every agent once with the genuine cursor', async () => {
    const ids: string[] = [];
    for await (const agent of kakunin.agents.list({ limit: 1 })) ids.push(agent.id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
  });
});
