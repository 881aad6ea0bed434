/**
 * The webhook routes against the attackers of docs/api.md §1 (a verifier key, an agent key, another tenant's admin, a
 * hostile URL): only the tenant's admin manages its webhooks; another tenant's admin cannot list, delete or replay
 * them, or touch their dead letters, and gets 404 (never 403, which would confirm the id exists); a malformed id is
 * 404 too; a replay is bounded per call (`remaining` says what is left), so a webhook with many dead letters and a
 * black-holed receiver cannot hold a request beyond the gateway's timeout; URL rules in local mode.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { KakuninEvent } from '../../../src/core/model.js';
import { REPLAY_BATCH } from '../../../src/core/webhooks/webhook-dispatcher.js';
import { MAX_WEBHOOKS_PER_TENANT } from '../../../src/http/monitoring-schemas.js';
import { createTestApi, type TestApi, testConfig } from './harness.js';

let api: TestApi;
let admin: string;
let hookId: string;

const event = (n: number): KakuninEvent => ({
  id: `evt_${String(n).padStart(24, '0')}`,
  type: 'certificate.issued',
  createdAt: '2026-01-15T12:00:00.000Z',
  tenantId: 't1',
  data: { n },
});

/** Parks `count` dead letters on the t1 webhook (as the dispatcher does after the last retry). */
async function deadLetters(count: number): Promise<void> {
  for (let n = 0; n < count; n += 1) {
    await api.ctx.monitoring.dispatcher.deadLetter(
      { tenantId: 't1', webhookId: hookId, event: event(n), attempt: 12, firstAttemptAt: 0 },
      'HTTP 500',
    );
  }
}

beforeEach(async () => {
  api = await createTestApi();
  admin = await api.key('t1', 'admin');
  const created = await api.call({
    method: 'POST',
    path: '/v1/webhooks',
    key: admin,
    body: { url: 'https://93.184.216.34/hook' },
  });
  hookId = created.json.id;
});

describe('who manages webhooks', () => {
  it('refuses verifier and agent keys every webhook route with 403, and changes nothing', async () => {
    const agent = await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'wh.agent' } });
    await deadLetters(1);
    for (const key of [await api.key('t1', 'verifier'), await api.key('t1', 'agent', agent.json.id)]) {
      for (const request of [
        { method: 'GET', path: '/v1/webhooks' },
        { method: 'POST', path: '/v1/webhooks', body: { url: 'https://93.184.216.34/other' } },
        { method: 'DELETE', path: `/v1/webhooks/${hookId}` },
        { method: 'POST', path: `/v1/webhooks/${hookId}/replay` },
      ]) {
        const answer = await api.call({ ...request, key });
        expect(answer.status, `${request.method} ${request.path}`).toBe(403);
        expect(answer.json.error.code).toBe('FORBIDDEN');
      }
    }
    expect(api.ports.webhookTransport.requests).toHaveLength(0);
    expect(await api.ports.webhooks.listDeadLetters('t1', hookId)).toHaveLength(1);
    expect((await api.call({ method: 'GET', path: '/v1/webhooks', key: admin })).json.items).toHaveLength(1);
  });

  it("hides a tenant's webhooks and dead letters from another tenant's admin (404, never 403)", async () => {
    await deadLetters(2);
    const other = await api.key('t2', 'admin');
    expect((await api.call({ method: 'GET', path: '/v1/webhooks', key: other })).json).toEqual({ items: [] });
    for (const id of [hookId, 'wh_00000000000000000000']) {
      for (const method of ['DELETE', 'POST']) {
        const path = method === 'DELETE' ? `/v1/webhooks/${id}` : `/v1/webhooks/${id}/replay`;
        const answer = await api.call({ method, path, key: other });
        expect(answer.status, `${method} ${path}`).toBe(404);
        expect(answer.json.error.code).toBe('NOT_FOUND');
      }
    }
    expect(api.ports.webhookTransport.requests).toHaveLength(0);
    expect(await api.ports.webhooks.listDeadLetters('t1', hookId)).toHaveLength(2);
    expect(api.ports.ledger.rawChain('t2').filter((e) => e.type.startsWith('webhook.'))).toEqual([]);
    expect((await api.call({ method: 'GET', path: '/v1/webhooks', key: admin })).json.items).toHaveLength(1);
  });

  it.each(['wh_x', 'WH_00000000000000000000', 'wh_0000000000000000000%2F', 'a_0000000000000000', '..'])(
    'answers the malformed webhook id %s with 404',
    async (id) => {
      for (const [method, path] of [
        ['DELETE', `/v1/webhooks/${id}`],
        ['POST', `/v1/webhooks/${id}/replay`],
      ] as const) {
        const answer = await api.call({ method, path, key: admin });
        expect(answer.status, `${method} ${path}`).toBe(404);
        expect(answer.json.error.code).toBe('NOT_FOUND');
      }
    },
  );
});

describe('how many webhooks a tenant may hold', () => {
  it(`refuses the webhook after ${MAX_WEBHOOKS_PER_TENANT} with 400, writing nothing; another tenant is not limited by it`, async () => {
    for (let n = 1; n < MAX_WEBHOOKS_PER_TENANT; n += 1) {
      const body = { url: `https://93.184.216.34/hook/${n}` };
      expect((await api.call({ method: 'POST', path: '/v1/webhooks', key: admin, body })).status).toBe(201);
    }
    const entries = api.ports.ledger.rawChain('t1').length;
    const over = await api.call({
      method: 'POST',
      path: '/v1/webhooks',
      key: admin,
      body: { url: 'https://93.184.216.34/x' },
    });
    expect(over.status).toBe(400);
    expect(over.json.error.code).toBe('INVALID_REQUEST');
    expect(api.ports.ledger.rawChain('t1')).toHaveLength(entries);
    expect((await api.call({ method: 'GET', path: '/v1/webhooks', key: admin })).json.items).toHaveLength(
      MAX_WEBHOOKS_PER_TENANT,
    );
    // Every event now fans out to at most the bound.
    const fanOut = await api.ctx.monitoring.dispatcher.dispatch(event(0));
    expect(fanOut).toBe(MAX_WEBHOOKS_PER_TENANT);
    const other = await api.key('t2', 'admin');
    const body = { url: 'https://93.184.216.34/t2' };
    expect((await api.call({ method: 'POST', path: '/v1/webhooks', key: other, body })).status).toBe(201);
    // Deleting one makes room again.
    await api.call({ method: 'DELETE', path: `/v1/webhooks/${hookId}`, key: admin });
    expect((await api.call({ method: 'POST', path: '/v1/webhooks', key: admin, body })).status).toBe(201);
  });
});

describe('the audit trail of webhook management', () => {
  it('lists webhook.replayed and webhook.deleted entries by type (they were written but refused as unknown types)', async () => {
    await api.call({ method: 'POST', path: `/v1/webhooks/${hookId}/replay`, key: admin });
    await api.call({ method: 'DELETE', path: `/v1/webhooks/${hookId}`, key: admin });
    for (const type of ['webhook.created', 'webhook.replayed', 'webhook.deleted']) {
      const listed = await api.call({ method: 'GET', path: '/v1/audit', key: admin, query: { type } });
      expect(listed.status, type).toBe(200);
      expect(listed.json.items).toEqual([
        expect.objectContaining({ type, payload: expect.objectContaining({ webhookId: hookId }) }),
      ]);
      expect(JSON.stringify(listed.json)).not.toContain('whsec_');
    }
  });
});

describe('replay is bounded per call', () => {
  it(`tries at most ${REPLAY_BATCH} dead letters per call and says how many remain`, async () => {
    const total = 2 * REPLAY_BATCH + 5;
    await deadLetters(total);
    const replay = () => api.call({ method: 'POST', path: `/v1/webhooks/${hookId}/replay`, key: admin });
    api.ports.webhookTransport.status = 500;
    expect((await replay()).json).toEqual({ delivered: 0, failed: REPLAY_BATCH, remaining: total });
    api.ports.webhookTransport.status = 204;
    expect((await replay()).json).toEqual({ delivered: REPLAY_BATCH, failed: 0, remaining: total - REPLAY_BATCH });
    expect((await replay()).json).toEqual({ delivered: REPLAY_BATCH, failed: 0, remaining: 5 });
    expect((await replay()).json).toEqual({ delivered: 5, failed: 0, remaining: 0 });
    expect(api.ports.ledger.rawChain('t1').filter((e) => e.type === 'webhook.replayed')).toHaveLength(4);
  });

  it('stops starting attempts once the time budget is spent (a black-holed receiver)', async () => {
    await deadLetters(10);
    // Each attempt takes 6 s of the (fake) clock, as a receiver that never answers takes the transport's deadline.
    const transport = api.ports.webhookTransport;
    const post = transport.post.bind(transport);
    transport.status = 500;
    transport.post = async (request) => {
      api.clock.set(api.clock.now() + 6_000);
      return post(request);
    };
    const answer = await api.call({ method: 'POST', path: `/v1/webhooks/${hookId}/replay`, key: admin });
    expect(answer.json).toEqual({ delivered: 0, failed: 3, remaining: 10 });
  });
});

describe('webhook URLs in local mode', () => {
  beforeEach(async () => {
    api = await createTestApi(testConfig({ allowLoopbackWebhooks: true }));
    admin = await api.key('t1', 'admin');
  });

  it.each(['http://127.0.0.1:9/h', 'http://[::1]:9/h', 'http://localhost:9/h'])('accepts %s', async (url) => {
    const answer = await api.call({ method: 'POST', path: '/v1/webhooks', key: admin, body: { url } });
    expect(answer.status).toBe(201);
  });

  it.each([
    'http://10.0.0.1/h',
    'http://93.184.216.34/h',
    'http://[::ffff:127.0.0.1]:9/h',
    'http://hooks.localhost:9/h',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fe80::1]/h',
    'https://0.0.0.0:9/h',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'gopher://127.0.0.1:9/h',
    'ws://127.0.0.1:9/h',
  ])('refuses %s with 400 on url', async (url) => {
    const answer = await api.call({ method: 'POST', path: '/v1/webhooks', key: admin, body: { url } });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'url' });
  });
});
