/**
 * Webhook delivery: fan-out by event type, the retry schedule (exponential with jitter, more than 24 h in total),
 * the dead letter after the last attempt, replay, and secrets kept out of everything reported.
 */
import { describe, expect, it } from 'vitest';
import {
  MemoryDeliveryScheduler,
  MemoryWebhookStore,
  MemoryWebhookTransport,
} from '../../../../src/adapters/memory/memory-monitoring.js';
import type { KakuninEvent, WebhookSubscription } from '../../../../src/core/model.js';
import { MAX_ATTEMPTS, MIN_RETRY_SPAN_MS, retryDelayMs } from '../../../../src/core/webhooks/delivery-schedule.js';
import { WebhookDispatcher } from '../../../../src/core/webhooks/webhook-dispatcher.js';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const NOW = Date.UTC(2026, 0, 15, 12);

function setup(jitter = 0.5) {
  const webhooks = new MemoryWebhookStore();
  const transport = new MemoryWebhookTransport();
  const scheduler = new MemoryDeliveryScheduler();
  const failures: unknown[] = [];
  let now = NOW;
  const dispatcher = new WebhookDispatcher({
    webhooks,
    transport,
    scheduler,
    clock: { now: () => now },
    jitter: () => jitter,
    onAttemptFailed: (f) => failures.push(f),
    onDeadLetter: (l) => failures.push(l),
  });
  return { webhooks, transport, scheduler, dispatcher, failures, advance: (ms: number) => (now += ms) };
}

const subscription = (id: string, eventTypes: WebhookSubscription['eventTypes'] = []): WebhookSubscription => ({
  tenantId: 't1',
  id,
  url: 'https://receiver.example/hook',
  eventTypes,
  secret: SECRET,
  createdAt: NOW,
});

const event = (type: KakuninEvent['type'] = 'agent.pre_revocation_warning', tenantId = 't1'): KakuninEvent => ({
  id: 'evt_aaaaaaaaaaaaaaaaaaaaaaaa',
  type,
  createdAt: new Date(NOW).toISOString(),
  tenantId,
  data: { agent_id: 'a_1' },
});

describe('delivery schedule', () => {
  it('retries for more than 24 hours even with the smallest jitter, and grows', () => {
    expect(MIN_RETRY_SPAN_MS).toBeGreaterThan(24 * 3_600_000);
    const delays = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1, 0.5)!);
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(retryDelayMs(MAX_ATTEMPTS, 0.5)).toBeUndefined();
  });

  it('jitters each delay within ±20 %', () => {
    expect(retryDelayMs(1, 0)).toBe(4_000);
    expect(retryDelayMs(1, 1)).toBe(6_000);
  });
});

describe('WebhookDispatcher', () => {
  it('queues the event for the tenant subscriptions that want its type only', async () => {
    const { webhooks, scheduler, dispatcher } = setup();
    await webhooks.create(subscription('wh_all'));
    await webhooks.create(subscription('wh_issued', ['certificate.issued']));
    await webhooks.create({ ...subscription('wh_other'), tenantId: 't2' });
    expect(await dispatcher.dispatch(event())).toBe(1);
    expect(scheduler.jobs.map((j) => [j.job.webhookId, j.delayMs])).toEqual([['wh_all', 0]]);
  });

  it('delivers a signed body with the event id as webhook-id', async () => {
    const { webhooks, transport, dispatcher } = setup();
    await webhooks.create(subscription('wh_1'));
    expect(
      await dispatcher.deliver({ tenantId: 't1', webhookId: 'wh_1', event: event(), attempt: 1, firstAttemptAt: NOW }),
    ).toBe('delivered');
    expect(transport.requests[0]).toMatchObject({
      url: 'https://receiver.example/hook',
      headers: { 'webhook-id': 'evt_aaaaaaaaaaaaaaaaaaaaaaaa', 'webhook-timestamp': String(NOW / 1000) },
    });
    expect(transport.requests[0]!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('retries a failing receiver on the schedule, then keeps a dead letter; replay delivers it and removes it', async () => {
    const { webhooks, transport, scheduler, dispatcher, failures, advance } = setup();
    await webhooks.create(subscription('wh_1'));
    transport.status = 503;
    let job = { tenantId: 't1', webhookId: 'wh_1', event: event(), attempt: 1, firstAttemptAt: NOW };
    let total = 0;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      expect(await dispatcher.deliver(job)).toBe('retrying');
      const [next] = scheduler.jobs.splice(0);
      expect(next!.job.attempt).toBe(attempt + 1);
      total += next!.delayMs;
      advance(next!.delayMs);
      job = next!.job;
    }
    expect(total).toBeGreaterThan(24 * 3_600_000);
    expect(await dispatcher.deliver(job)).toBe('dead_letter');
    const [letter] = await webhooks.listDeadLetters('t1', 'wh_1');
    expect(letter).toMatchObject({ eventId: event().id, attempts: MAX_ATTEMPTS, lastError: 'HTTP 503' });
    expect(JSON.stringify(failures)).not.toContain(SECRET.slice(6, 20));

    expect(await dispatcher.replay('t1', 'wh_1')).toEqual({ delivered: 0, failed: 1 });
    expect((await webhooks.listDeadLetters('t1', 'wh_1'))[0]!.attempts).toBe(MAX_ATTEMPTS + 1);
    transport.status = 204;
    expect(await dispatcher.replay('t1', 'wh_1')).toEqual({ delivered: 1, failed: 0 });
    expect(await webhooks.listDeadLetters('t1', 'wh_1')).toEqual([]);
    expect(transport.requests.at(-1)!.headers['webhook-id']).toBe(event().id);
  });

  it('stops delivering to a deleted subscription', async () => {
    const { webhooks, transport, dispatcher } = setup();
    await webhooks.create(subscription('wh_1'));
    await webhooks.delete('t1', 'wh_1');
    expect(
      await dispatcher.deliver({ tenantId: 't1', webhookId: 'wh_1', event: event(), attempt: 1, firstAttemptAt: NOW }),
    ).toBe('unsubscribed');
    expect(transport.requests).toEqual([]);
  });
});
