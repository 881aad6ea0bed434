/**
 * The monitoring and webhook routes through the handlers: who may call them, tenant isolation, input bounds, the
 * audit entries (never a secret), and the webhook lifecycle including delivery, dead letter and replay.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '../../../src/core/webhooks/delivery-schedule.js';
import { createTestApi, type TestApi } from './harness.js';

describe('monitoring and webhook routes', () => {
  let api: TestApi;
  let admin: string;
  let agentId: string;

  beforeEach(async () => {
    api = await createTestApi();
    admin = await api.key('t1', 'admin');
    const agent = await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'routes.agent' } });
    agentId = agent.json.id;
  });

  it('refuses every monitoring route to verifier and agent keys (403), and hides other tenants (404)', async () => {
    const verifier = await api.key('t1', 'verifier');
    const agentKey = await api.key('t1', 'agent', agentId);
    const otherAdmin = await api.key('t2', 'admin');
    const requests = [
      { method: 'GET', path: `/v1/agents/${agentId}/stats` },
      { method: 'GET', path: `/v1/agents/${agentId}/risk` },
      { method: 'PUT', path: `/v1/agents/${agentId}/baseline`, body: { transactions_per_hour: { p95: 5 } } },
      { method: 'POST', path: '/v1/webhooks', body: { url: 'https://93.184.216.34/h' } },
      { method: 'GET', path: '/v1/webhooks' },
    ];
    for (const request of requests) {
      for (const key of [verifier, agentKey]) {
        expect((await api.call({ ...request, key })).status, `${request.method} ${request.path}`).toBe(403);
      }
    }
    for (const request of requests.slice(0, 3)) {
      expect((await api.call({ ...request, key: otherAdmin })).status, request.path).toBe(404);
    }
  });

  it.each([[{ window: '0h' }], [{ window: '31d' }], [{ window: '721h' }], [{ window: '7w' }]])(
    'refuses the stats window %j with 400',
    async (query) => {
      const answer = await api.call({ method: 'GET', path: `/v1/agents/${agentId}/stats`, key: admin, query });
      expect(answer.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'window' });
    },
  );

  it.each([
    [{}, undefined],
    [{ transaction_size: { p50: 100, p99: 50 } }, 'transaction_size.p99'],
    [{ transaction_size: { p50: -1, p99: 50 } }, 'transaction_size.p50'],
    [{ active_hours: [[9, 25]] }, 'active_hours.0.1'],
    [{ preferred_counterparties: Array(101).fill('x') }, 'preferred_counterparties'],
    [{ transactions_per_hour: { p95: 5, p99: 9 } }, 'transactions_per_hour.p99'],
  ])('refuses the baseline %j with 400', async (body, field) => {
    const answer = await api.call({ method: 'PUT', path: `/v1/agents/${agentId}/baseline`, key: admin, body });
    expect(answer.status).toBe(400);
    if (field !== undefined) expect(answer.json.error.field).toBe(field);
  });

  it('locks a baseline, audited as baseline.locked, and answers it with locked: true', async () => {
    const body = { transaction_size: { p50: 120, p99: 900 }, preferred_counterparties: ['stripe'] };
    const answer = await api.call({ method: 'PUT', path: `/v1/agents/${agentId}/baseline`, key: admin, body });
    expect(answer.json).toMatchObject({ ...body, locked: true, lockedAt: expect.any(String) });
    const entry = api.ports.ledger.rawChain('t1').find((e) => e.type === 'baseline.locked');
    expect(entry).toMatchObject({ actorId: agentId, payload: { baseline: body } });
    expect((await api.ports.behavior.load('t1', agentId)).baseline).toMatchObject(body);
  });

  it("accepts the guide's baseline copied from an agent without amounts (null quantiles lock no size)", async () => {
    const body = { transaction_size: { p50: null, p99: null }, transactions_per_hour: { p95: 0 }, active_hours: [] };
    const answer = await api.call({ method: 'PUT', path: `/v1/agents/${agentId}/baseline`, key: admin, body });
    expect(answer.status).toBe(200);
    expect(answer.json).not.toHaveProperty('transaction_size');
    expect(answer.json).toMatchObject({ transactions_per_hour: { p95: 0 }, locked: true });
  });

  it('answers a new agent risk as 0/low as of its creation', async () => {
    const answer = await api.call({ method: 'GET', path: `/v1/agents/${agentId}/risk`, key: admin });
    expect(answer.json).toEqual({ score: 0, band: 'low', contributions: [], updatedAt: '2026-01-15T12:00:00.000Z' });
  });

  it("audits a webhook's scheme, host and URL hash, never the path or query that may hold the receiver's token", async () => {
    const url = 'https://93.184.216.34/services/T0001/B0002/s3cr3tT0k3n?token=abc123';
    const created = await api.call({ method: 'POST', path: '/v1/webhooks', key: admin, body: { url } });
    expect(created.status).toBe(201);
    const entry = api.ports.ledger
      .rawChain('t1')
      .find(
        (e) =>
          e.type === 'webhook.created' &&
          (e.payload as { webhookId?: string } | undefined)?.webhookId === created.json.id,
      );
    expect(entry?.payload).toEqual({
      webhookId: created.json.id,
      url: 'https://93.184.216.34/…',
      urlSha256: createHash('sha256').update(created.json.url).digest('hex'),
      eventTypes: [],
      by: expect.any(String),
    });
    const chain = JSON.stringify(api.ports.ledger.rawChain('t1'));
    for (const secret of ['s3cr3tT0k3n', 'abc123', 'T0001']) expect(chain).not.toContain(secret);
    // The delivery itself still goes to the full URL.
    const listed = await api.call({ method: 'GET', path: '/v1/webhooks', key: admin });
    expect(listed.json.items.map((w: { url: string }) => w.url)).toContain(created.json.url);
    await api.call({ method: 'DELETE', path: `/v1/webhooks/${created.json.id}`, key: admin });
  });

  it('creates a webhook with a whsec_ secret shown once, audited without it, listed without it, deleted', async () => {
    const created = await api.call({
      method: 'POST',
      path: '/v1/webhooks',
      key: admin,
      body: { url: 'https://93.184.216.34/hook', eventTypes: ['agent.certificate_revoked'] },
    });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.json.secret.slice(6), 'base64')).toHaveLength(32);
    const chain = JSON.stringify(api.ports.ledger.rawChain('t1'));
    expect(chain).toContain('webhook.created');
    expect(chain).not.toContain(created.json.secret.slice(6));
    const listed = await api.call({ method: 'GET', path: '/v1/webhooks', key: admin });
    expect(listed.json.items).toEqual([
      {
        id: created.json.id,
        url: 'https://93.184.216.34/hook',
        eventTypes: ['agent.certificate_revoked'],
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed.json)).not.toContain('whsec_');
    const otherAdmin = await api.key('t2', 'admin');
    expect(
      (await api.call({ method: 'DELETE', path: `/v1/webhooks/${created.json.id}`, key: otherAdmin })).status,
    ).toBe(404);
    expect((await api.call({ method: 'DELETE', path: `/v1/webhooks/${created.json.id}`, key: admin })).json).toEqual({
      id: created.json.id,
      deleted: true,
    });
    expect((await api.call({ method: 'GET', path: '/v1/webhooks', key: admin })).json.items).toEqual([]);
  });

  it.each([
    'http://93.184.216.34/hook',
    'https://10.0.0.8/hook',
    'https://[::1]/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://localhost/hook',
  ])('refuses the webhook URL %s when deployed', async (url) => {
    const answer = await api.call({ method: 'POST', path: '/v1/webhooks', key: admin, body: { url } });
    expect(answer.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'url' });
  });

  it('refuses unknown event types and repeated ones', async () => {
    for (const eventTypes of [['agent.deleted'], ['certificate.issued', 'certificate.issued']]) {
      const answer = await api.call({
        method: 'POST',
        path: '/v1/webhooks',
        key: admin,
        body: { url: 'https://93.184.216.34/h', eventTypes },
      });
      expect(answer.status).toBe(400);
    }
  });

  it('delivers events to matching webhooks, dead-letters after the retries and replays over the route', async () => {
    const hook = await api.call({
      method: 'POST',
      path: '/v1/webhooks',
      key: admin,
      body: { url: 'https://93.184.216.34/h' },
    });
    const { dispatcher } = api.ctx.monitoring;
    const event = {
      id: 'evt_000000000000000000000001',
      type: 'certificate.issued' as const,
      createdAt: 'x',
      tenantId: 't1',
      data: {},
    };
    await dispatcher.dispatch(event);
    api.ports.webhookTransport.status = 500;
    let jobs = api.ports.webhookScheduler.take();
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) {
      for (const job of jobs) await dispatcher.deliver(job);
      jobs = api.ports.webhookScheduler.take();
    }
    expect(jobs).toEqual([]);
    api.ports.webhookTransport.status = 200;
    const replay = await api.call({ method: 'POST', path: `/v1/webhooks/${hook.json.id}/replay`, key: admin });
    expect(replay.json).toEqual({ delivered: 1, failed: 0, remaining: 0 });
    expect(api.ports.webhookTransport.requests).toHaveLength(MAX_ATTEMPTS + 1);
    expect(api.ports.ledger.rawChain('t1').some((e) => e.type === 'webhook.replayed')).toBe(true);
  });
});
