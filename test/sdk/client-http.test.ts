/**
 * The client's HTTP behaviour with a scripted fetch: the §4 verify answer for 200 and 403 {verified:false},
 * KakuninError for every other failure, which calls retry (GET, verify, PUT baseline) and which never do, timeouts,
 * and cursor pagination as an async iterator.
 */
import { describe, expect, it } from 'vitest';
import { Kakunin, KakuninError, type SignedEnvelope } from '../../packages/sdk/src/index.js';

interface Seen {
  method: string;
  url: string;
  body: unknown;
  authorization: string | null;
}

function scripted(answers: (Response | Error | 'hang')[]) {
  const seen: Seen[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    seen.push({
      method: init?.method ?? 'GET',
      url: String(input),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      authorization: headers.get('authorization'),
    });
    const next = answers.shift() ?? new Response('{}', { status: 500 });
    if (next === 'hang') {
      return new Promise((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    if (next instanceof Error) throw next;
    return next;
  };
  return { seen, fetchImpl };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const ENVELOPE: SignedEnvelope = {
  payload: { action: 'charge' },
  certificateFingerprint: `sha256:${'c'.repeat(64)}`,
  timestamp: 1,
  nonce: 'n'.repeat(22),
  signature: 'AAAA',
};

const client = (fetchImpl: typeof fetch, extra = {}) =>
  new Kakunin({ baseUrl: 'http://k.test/', apiKey: 'kk_x', fetch: fetchImpl, retryBaseMs: 1, ...extra });

describe('Kakunin client over HTTP', () => {
  it('actions.verify resolves to the §4 answer for 200 and 403 {verified:false}, and wraps origin', async () => {
    const ok = {
      verified: true,
      agentId: 'a_1',
      fingerprint: ENVELOPE.certificateFingerprint,
      riskScore: 0,
      riskBand: 'low',
      auditId: 'x',
    };
    const refused = { verified: false, error: { code: 'SCOPE_VIOLATION', message: 'no', field: 'payload.amount' } };
    const { seen, fetchImpl } = scripted([json(200, ok), json(403, refused)]);
    const kakunin = client(fetchImpl);
    expect(await kakunin.actions.verify(ENVELOPE, { origin: { ip: '203.0.113.9' } })).toEqual(ok);
    expect(await kakunin.actions.verify(ENVELOPE)).toEqual(refused);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: 'http://k.test/v1/actions/verify',
      body: { envelope: ENVELOPE, origin: { ip: '203.0.113.9' } },
      authorization: 'Bearer kk_x',
    });
    expect(seen[1]?.body).toEqual(ENVELOPE);
  });

  it('throws KakuninError {status, code, field} for 400/401/403 FORBIDDEN/404 and never retries them', async () => {
    const cases: [number, unknown, string][] = [
      [400, { error: { code: 'INVALID_REQUEST', message: 'bad', field: 'nonce' } }, 'INVALID_REQUEST'],
      [401, { error: { code: 'UNAUTHENTICATED', message: 'no key' } }, 'UNAUTHENTICATED'],
      [403, { error: { code: 'FORBIDDEN', message: 'role' } }, 'FORBIDDEN'],
      [404, { error: { code: 'NOT_FOUND', message: 'gone' } }, 'NOT_FOUND'],
      [502, 'not json', 'UNAVAILABLE'],
    ];
    for (const [status, body, code] of cases) {
      const { seen, fetchImpl } = scripted([json(status, body), json(200, {})]);
      const error = await client(fetchImpl, { retries: 0 })
        .actions.verify(ENVELOPE)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KakuninError);
      expect(error).toMatchObject({ status, code });
      if (status === 400) expect((error as KakuninError).field).toBe('nonce');
      expect(seen).toHaveLength(1);
    }
  });

  it('retries GET and verify on 503, 429 and network errors; never a POST that could act twice', async () => {
    const agent = { id: 'a_1' };
    const get = scripted([
      json(503, { error: { code: 'UNAVAILABLE', message: 'x' } }),
      json(429, {}),
      json(200, agent),
    ]);
    expect(await client(get.fetchImpl).agents.get('a_1')).toEqual(agent);
    expect(get.seen).toHaveLength(3);

    const verify = scripted([new TypeError('socket hang up'), json(200, { verified: true })]);
    expect(await client(verify.fetchImpl).actions.verify(ENVELOPE)).toEqual({ verified: true });
    expect(verify.seen).toHaveLength(2);

    const create = scripted([json(503, { error: { code: 'UNAVAILABLE', message: 'x' } }), json(201, agent)]);
    await expect(client(create.fetchImpl).agents.create({ name: 'x' })).rejects.toMatchObject({
      status: 503,
      code: 'UNAVAILABLE',
    });
    expect(create.seen).toHaveLength(1);

    const gone = scripted([new TypeError('refused'), new TypeError('refused'), new TypeError('refused')]);
    await expect(client(gone.fetchImpl).agents.get('a_1')).rejects.toMatchObject({ status: 0, code: 'UNAVAILABLE' });
    expect(gone.seen).toHaveLength(3);
  });

  it('times out each attempt and reports TIMEOUT with status 0', async () => {
    const { seen, fetchImpl } = scripted(['hang', 'hang']);
    const error = await client(fetchImpl, { timeoutMs: 20, retries: 1 })
      .agents.get('a_1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'KakuninError', status: 0, code: 'TIMEOUT' });
    expect(seen).toHaveLength(2);
  });

  it('list() is the first page when awaited and every item across cursors when iterated', async () => {
    const pages = [
      json(200, { items: [{ id: 'a_1' }, { id: 'a_2' }], nextCursor: 'c1' }),
      json(200, { items: [{ id: 'a_3' }] }),
    ];
    const { seen, fetchImpl } = scripted(pages);
    const ids: string[] = [];
    for await (const agent of client(fetchImpl).agents.list({ limit: 2 })) ids.push(agent.id);
    expect(ids).toEqual(['a_1', 'a_2', 'a_3']);
    expect(seen.map((s) => s.url)).toEqual([
      'http://k.test/v1/agents?limit=2',
      'http://k.test/v1/agents?limit=2&cursor=c1',
    ]);

    const first = scripted([json(200, { items: [{ id: 'a_9' }], nextCursor: 'c9' })]);
    expect(await client(first.fetchImpl).agents.list()).toEqual({ items: [{ id: 'a_9' }], nextCursor: 'c9' });
  });

  it('getStats adds top(n) and frequency.p95 without changing the JSON form', async () => {
    const answer = {
      window: '7d',
      count: 3,
      transaction_size: { p50: 1, p95: 2, p99: 3, max: 4 },
      frequency: { per_hour: { p50: 1, p95: 7, max: 9 } },
      counterparty_distribution: [
        { counterparty: 'stripe', count: 2, share: 0.66 },
        { counterparty: 'revolut', count: 1, share: 0.33 },
      ],
      hour_of_day: { counts: Array(24).fill(0), activePeriods: [[8, 18]] },
    };
    const { seen, fetchImpl } = scripted([json(200, answer)]);
    const stats = await client(fetchImpl).monitoring.getStats('a_1', { window: '7d', metrics: ['frequency'] });
    expect(stats.counterparty_distribution.top(1)).toEqual(['stripe']);
    expect(stats.frequency.p95).toBe(7);
    expect(JSON.parse(JSON.stringify(stats))).toEqual(answer);
    expect(seen[0]?.url).toBe('http://k.test/v1/agents/a_1/stats?window=7d');
  });
});
