/**
 * `PUT /v1/agents/{id}/baseline` and `GET /v1/agents/{id}/stats|risk` against hostile callers and bodies (docs/api.md
 * §6 and "Numbers are exact"): every bad body is 400 INVALID_REQUEST (413 over 64 KiB), never a 5xx, and locks
 * nothing (no `baseline.locked` entry, the previous lock stays); a lock that would lock no figure is refused instead of
 * silently replacing the previous lock with nothing; the `window` query is refused in every spelling outside
 * `1h`…`720h` / `1d`…`30d`; other keys never reach another agent's or tenant's figures.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from './harness.js';

let api: TestApi;
let admin: string;
let agentId: string;
const PREVIOUS = { transactions_per_hour: { p95: 7 } };

beforeEach(async () => {
  api = await createTestApi();
  admin = await api.key('t1', 'admin');
  agentId = (await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'baseline.target' } })).json
    .id;
  const locked = await api.call({ method: 'PUT', path: `/v1/agents/${agentId}/baseline`, key: admin, body: PREVIOUS });
  expect(locked.status).toBe(200);
});

const put = (body: unknown, key = admin) =>
  api.call({ method: 'PUT', path: `/v1/agents/${agentId}/baseline`, key, body });
const lockEntries = () => api.ports.ledger.rawChain('t1').filter((e) => e.type === 'baseline.locked').length;

/** The body was refused with `status`/`field` and changed nothing. */
async function expectRefused(body: unknown, status: number, field?: string): Promise<void> {
  const before = lockEntries();
  const answer = await put(body);
  expect(answer.status, `${typeof body === 'string' ? body.slice(0, 80) : JSON.stringify(body)}`).toBe(status);
  expect(answer.json.error.code).toBe(status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_REQUEST');
  if (field !== undefined) expect(answer.json.error.field).toBe(field);
  expect(lockEntries()).toBe(before);
  expect((await api.ports.behavior.load('t1', agentId)).baseline).toMatchObject(PREVIOUS);
}

describe('hostile baseline bodies', () => {
  it.each([
    ['{"transactions_per_hour":{"p95":1e400}}', 'transactions_per_hour.p95'],
    ['{"transactions_per_hour":{"p95":1e-400}}', 'transactions_per_hour.p95'],
    ['{"transaction_size":{"p50":100.00000000000000001,"p99":200}}', 'transaction_size.p50'],
    ['{"transactions_per_hour":{"p95":9007199254740993}}', 'transactions_per_hour.p95'],
  ])('refuses the lossy number in %s with 400 on its path', async (raw, field) => {
    await expectRefused(raw, 400, field);
  });

  it.each([
    '{"transactions_per_hour":{"p95":NaN}}',
    '{"transactions_per_hour":{"p95":Infinity}}',
    '{"transactions_per_hour":{"p95":-Infinity}}',
    '{"transactions_per_hour":{"p95":0x10}}',
    '{"transactions_per_hour":{"p95":5}',
    '{"transactions_per_hour":{"p95":5,"p95":6}}',
    '{"transactions_per_hour":{"p95":5},"transactions_per_hour":{"p95":6}}',
    '[]',
    'null',
    '"baseline"',
    '42',
    `${'['.repeat(40)}${']'.repeat(40)}`,
    `{"preferred_counterparties":${'['.repeat(40)}${']'.repeat(40)}}`,
  ])('refuses the malformed or hostile JSON %s with 400', async (raw) => {
    await expectRefused(raw, 400);
  });

  it.each([
    [{ transactions_per_hour: { p95: '5' } }, 'transactions_per_hour.p95'],
    [{ transactions_per_hour: { p95: true } }, 'transactions_per_hour.p95'],
    [{ transactions_per_hour: { p95: null } }, 'transactions_per_hour.p95'],
    [{ transactions_per_hour: { p95: -1 } }, 'transactions_per_hour.p95'],
    [{ transactions_per_hour: { p95: 1e308 } }, 'transactions_per_hour.p95'],
    [{ transaction_size: { p50: 1e300, p99: 1e301 } }, 'transaction_size.p50'],
    [{ transaction_size: { p50: 1 } }, 'transaction_size.p99'],
    [{ transaction_size: [1, 2] }, 'transaction_size'],
    [{ active_hours: [[1.5, 3]] }, 'active_hours.0.0'],
    [{ active_hours: [[-1, 3]] }, 'active_hours.0.0'],
    [{ active_hours: [[1, 2, 3]] }, 'active_hours.0'],
    [{ active_hours: [[3, 3]] }, 'active_hours.0'],
    [{ active_hours: Array.from({ length: 25 }, () => [1, 2]) }, 'active_hours'],
    [{ active_hours: '9-17' }, 'active_hours'],
    [{ preferred_counterparties: Array(10_000).fill('x') }, 'preferred_counterparties'],
    [{ preferred_counterparties: ['x'.repeat(129)] }, 'preferred_counterparties.0'],
    [{ preferred_counterparties: [''] }, 'preferred_counterparties.0'],
    [{ preferred_counterparties: [{ name: 'stripe' }] }, 'preferred_counterparties.0'],
    [{ transactions_per_hour: { p95: 5 }, locked: false }, 'locked'],
    [{ transactions_per_hour: { p95: 5 }, lockedBy: 'key_someone' }, 'lockedBy'],
    [{ transactions_per_hour: { p95: 5 }, constructor: {} }, 'constructor'],
  ])('refuses %j with 400 on its field', async (body, field) => {
    await expectRefused(body, 400, field);
  });

  it('refuses a __proto__ key, at the top and nested', async () => {
    await expectRefused('{"__proto__":{"transactions_per_hour":{"p95":1}}}', 400);
    await expectRefused('{"transactions_per_hour":{"p95":1,"__proto__":{"polluted":true}}}', 400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a body over 64 KiB with 413', async () => {
    await expectRefused({ preferred_counterparties: Array(20_000).fill('counterparty') }, 413);
  });

  it.each([
    [{}, undefined],
    [{ transaction_size: { p50: null, p99: null } }, undefined],
    [{ transaction_size: { p50: null, p99: 900 } }, 'transaction_size.p50'],
    [{ transaction_size: { p50: 120, p99: null } }, 'transaction_size.p99'],
    [{ active_hours: [] }, undefined],
    [{ preferred_counterparties: [] }, undefined],
    [{ transaction_size: { p50: null, p99: null }, active_hours: [], preferred_counterparties: [] }, undefined],
  ])('refuses %j: it would lock no figure, or drop one silently', async (body, field) => {
    await expectRefused(body, 400, field);
  });

  it("still accepts the guide's copy of an agent without amounts (a rate figure, null sizes)", async () => {
    const body = { transaction_size: { p50: null, p99: null }, transactions_per_hour: { p95: 0 }, active_hours: [] };
    expect((await put(body)).status).toBe(200);
  });
});

describe('who reads and locks which agent', () => {
  it("refuses an agent key the stats, risk and baseline of its own agent, its parent's and its sub-agent's", async () => {
    const ownKey = await api.key('t1', 'agent', agentId);
    const child = await api.call({ method: 'POST', path: '/v1/agents', key: ownKey, body: { name: 'baseline.child' } });
    expect(child.status).toBe(201);
    const childKey = await api.key('t1', 'agent', child.json.id);
    for (const [key, target] of [
      [ownKey, agentId],
      [ownKey, child.json.id],
      [childKey, agentId],
      [childKey, child.json.id],
    ] as const) {
      for (const request of [
        { method: 'GET', path: `/v1/agents/${target}/stats` },
        { method: 'GET', path: `/v1/agents/${target}/risk` },
        { method: 'PUT', path: `/v1/agents/${target}/baseline`, body: { transactions_per_hour: { p95: 1e6 } } },
      ]) {
        const answer = await api.call({ ...request, key });
        expect(answer.status, `${request.method} ${request.path}`).toBe(403);
        expect(answer.json.error.code).toBe('FORBIDDEN');
      }
    }
    expect((await api.ports.behavior.load('t1', agentId)).baseline).toMatchObject(PREVIOUS);
  });

  it("answers another tenant's admin 404 for an agent that exists, exactly as for one that does not", async () => {
    const other = await api.key('t2', 'admin');
    for (const id of [agentId, 'a_0000000000000000']) {
      for (const request of [
        { method: 'GET', path: `/v1/agents/${id}/stats` },
        { method: 'GET', path: `/v1/agents/${id}/risk` },
        { method: 'PUT', path: `/v1/agents/${id}/baseline`, body: { transactions_per_hour: { p95: 1e6 } } },
      ]) {
        const answer = await api.call({ ...request, key: other });
        expect(answer.status).toBe(404);
        expect(answer.json.error).toMatchObject({ code: 'NOT_FOUND' });
      }
    }
    expect((await api.ports.behavior.load('t1', agentId)).baseline).toMatchObject(PREVIOUS);
  });
});

describe('the stats window', () => {
  it.each([
    '',
    ' 7d',
    '7d ',
    '07d',
    '7D',
    '1e1h',
    '0x10h',
    '-1d',
    '7d7d',
    '7d\u0000',
    '1000h',
    '721h',
    '31d',
    '0d',
    '1w',
    '168',
    'x'.repeat(10_000),
  ])('refuses window=%j with 400 on window', async (window) => {
    const answer = await api.call({
      method: 'GET',
      path: `/v1/agents/${agentId}/stats`,
      key: admin,
      query: { window },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'window' });
  });

  it.each(['1h', '720h', '1d', '30d'])('accepts the edge window %s', async (window) => {
    const answer = await api.call({
      method: 'GET',
      path: `/v1/agents/${agentId}/stats`,
      key: admin,
      query: { window },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.window).toBe(window);
  });
});
