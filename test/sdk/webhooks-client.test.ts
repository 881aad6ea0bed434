/**
 * The SDK's webhook calls against the real handlers (docs/api.md §5), and the path ids it refuses: `webhooks.list`
 * never carries a secret, `replay` answers one bounded batch, `delete` removes; another tenant's admin gets 404 and a
 * verifier 403 as KakuninError; an id of '', '.' or '..' (or `%2e`) is refused before any request, since URL parsing
 * would resolve it away (`agents.get('.')` reached `GET /v1/agents/`, the listing, and answered a page of agents).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Kakunin } from '../../packages/sdk/src/index.js';
import { BASE_URL, createTestApi, harnessFetch, type TestApi } from './support/in-process-fetch.js';

let api: TestApi;
let requests: string[];
const sdk = (apiKey: string) => {
  const inner = harnessFetch(api);
  const fetch: typeof globalThis.fetch = async (input, init) => {
    requests.push(`${init?.method ?? 'GET'} ${String(input)}`);
    return inner(input, init);
  };
  return new Kakunin({ baseUrl: BASE_URL, apiKey, fetch, retries: 0 });
};

beforeEach(async () => {
  api = await createTestApi();
  requests = [];
});

describe('kakunin.webhooks', () => {
  it('creates, lists without the secret, replays a bounded batch and deletes', async () => {
    const admin = sdk(await api.key('t1', 'admin'));
    const hook = await admin.webhooks.create({ url: 'https://93.184.216.34/hook' });
    expect((await admin.webhooks.list()).items).toEqual([
      { id: hook.id, url: 'https://93.184.216.34/hook', eventTypes: [], createdAt: expect.any(String) },
    ]);
    expect(JSON.stringify(await admin.webhooks.list())).not.toContain('whsec_');
    for (let n = 0; n < 30; n += 1) {
      await api.ctx.monitoring.dispatcher.deadLetter(
        {
          tenantId: 't1',
          webhookId: hook.id,
          event: {
            id: `evt_${n}`,
            type: 'certificate.issued',
            createdAt: '2026-01-15T12:00:00Z',
            tenantId: 't1',
            data: {},
          },
          attempt: 12,
          firstAttemptAt: 0,
        },
        'HTTP 500',
      );
    }
    expect(await admin.webhooks.replay(hook.id)).toEqual({ delivered: 25, failed: 0, remaining: 5 });
    expect(await admin.webhooks.replay(hook.id)).toEqual({ delivered: 5, failed: 0, remaining: 0 });
    expect(await admin.webhooks.delete(hook.id)).toEqual({ id: hook.id, deleted: true });
    expect((await admin.webhooks.list()).items).toEqual([]);
  });

  it("answers another tenant's admin 404 and a verifier 403, as KakuninError", async () => {
    const hook = await sdk(await api.key('t1', 'admin')).webhooks.create({ url: 'https://93.184.216.34/hook' });
    const other = sdk(await api.key('t2', 'admin'));
    await expect(other.webhooks.replay(hook.id)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    await expect(other.webhooks.delete(hook.id)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const verifier = sdk(await api.key('t1', 'verifier'));
    await expect(verifier.webhooks.list()).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await expect(verifier.webhooks.replay(hook.id)).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });
});

describe('path ids that are not one segment', () => {
  it.each(['', '.', '..'])('refuses %j before any request, for every call that takes an id', async (id) => {
    const admin = sdk(await api.key('t1', 'admin'));
    const calls = [
      () => admin.agents.get(id),
      () => admin.agents.update(id, { status: 'suspended' }),
      () => admin.agents.sign(id, { certificateFingerprint: 'x', payload: { action: 'a' } } as never),
      () => admin.certificates.verify(id),
      () => admin.certificates.revoke(id, 'keyCompromise'),
      () => admin.monitoring.getStats(id),
      () => admin.monitoring.getRisk(id),
      () => admin.webhooks.delete(id),
      () => admin.webhooks.replay(id),
      () => admin.audit.proof(id),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'id' });
    }
    expect(requests).toEqual([]);
  });
});
