/**
 * The audit routes' query parameters against hostile spellings (docs/api.md §7 "Listing and export"): an impossible
 * date is refused with 400 on its field rather than rolled over to another day as Date.parse would (`2026-02-30` was
 * read as March 2 and the filter silently shifted); a leap day, the last nanosecond of a day and the widest offsets
 * are accepted; and the proof, consistency and export parameters stay inside their bounds with a 4xx, never a 5xx.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { rfc3339Ms } from '../../../src/http/audit-schemas.js';
import { createTestApi, type TestApi } from './harness.js';

let api: TestApi;
let admin: string;
let entryId: string;

beforeEach(async () => {
  api = await createTestApi();
  admin = await api.key('t1', 'admin');
  await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'audit.query' } });
  entryId = (await api.call({ method: 'GET', path: '/v1/audit', key: admin })).json.items[0].id;
});

const get = (path: string, query: Record<string, string>) => api.call({ method: 'GET', path, key: admin, query });

describe('times in audit filters', () => {
  it.each([
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-01T00:00:00+24:00',
    '2026-01-01T00:00:00+01:60',
    '2026-01-01 00:00:00Z',
    '2026-01-01T00:00:00',
    '2026-01-01',
    '-1',
    '1e12',
    '0x10',
    '9999999999999999',
  ])('refuses %s in from and in to with 400 on the field', async (time) => {
    for (const field of ['from', 'to']) {
      for (const path of ['/v1/audit', '/v1/audit/export']) {
        const answer = await get(path, { [field]: time });
        expect(answer.status, `${path} ${field}=${time}`).toBe(400);
        expect(answer.json.error).toMatchObject({ code: 'INVALID_REQUEST', field });
      }
    }
  });

  it.each([
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    ['2000-02-29T12:00:00Z', Date.UTC(2000, 1, 29, 12)],
    ['2026-12-31T23:59:59.999999999Z', Date.UTC(2026, 11, 31, 23, 59, 59, 999)],
    ['2026-01-01T00:00:00+14:00', Date.UTC(2025, 11, 31, 10)],
    ['2026-01-01T00:00:00-12:00', Date.UTC(2026, 0, 1, 12)],
  ])('accepts %s as %i', async (time, ms) => {
    expect(rfc3339Ms(time)).toBe(ms);
    expect((await get('/v1/audit', { from: time })).status).toBe(200);
  });

  it('filters on the instant given, never on a rolled-over one', async () => {
    // The harness clock is 2026-01-15T12:00Z: every entry is before March.
    const before = await get('/v1/audit', { to: '2026-02-28T23:59:59Z' });
    expect(before.json.items.length).toBeGreaterThan(0);
    expect((await get('/v1/audit', { to: '2026-02-30T00:00:00Z' })).status).toBe(400);
  });
});

describe('proof, consistency and export bounds', () => {
  it.each([
    [`/v1/audit/{entry}/proof`, { treeSize: '0' }, 'treeSize'],
    [`/v1/audit/{entry}/proof`, { treeSize: '999999999999999' }, 'treeSize'],
    [`/v1/audit/{entry}/proof`, { treeSize: '-1' }, 'treeSize'],
    ['/v1/audit/consistency', { from: '0', to: '1' }, 'from'],
    ['/v1/audit/consistency', { from: '2', to: '1' }, 'to'],
    ['/v1/audit/consistency', { from: '1', to: '999999999999999' }, 'to'],
    ['/v1/audit/consistency', { from: '1', to: '1e3' }, 'to'],
    ['/v1/audit/export', { afterSeq: '-1' }, 'afterSeq'],
    ['/v1/audit/export', { afterSeq: '1.5' }, 'afterSeq'],
    ['/v1/audit', { type: '__proto__' }, 'type'],
    ['/v1/audit', { type: 'webhook.*' }, 'type'],
    ['/v1/audit', { actorId: 'x'.repeat(257) }, 'actorId'],
    ['/v1/audit', { limt: '5' }, 'limt'],
  ])('%s %j → 400 on %s', async (path, query, field) => {
    const answer = await get(path.replace('{entry}', entryId), query);
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'INVALID_REQUEST', field });
  });

  it.each(['aud_zzzz', '__proto__', 'aud_0000000000000000ffffffffffffffff', '..'])(
    'answers the proof of %s with 404',
    async (id) => {
      const answer = await api.call({ method: 'GET', path: `/v1/audit/${id}/proof`, key: admin });
      expect(answer.status).toBe(404);
      expect(answer.json.error.code).toBe('NOT_FOUND');
    },
  );

  it("answers another tenant's entry 404, exactly as an unknown one", async () => {
    const other = await api.key('t2', 'admin');
    const answer = await api.call({ method: 'GET', path: `/v1/audit/${entryId}/proof`, key: other });
    expect(answer.status).toBe(404);
    expect(answer.json.error.code).toBe('NOT_FOUND');
  });
});
