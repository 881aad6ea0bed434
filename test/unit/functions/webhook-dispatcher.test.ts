/**
 * The deployed webhook dispatcher (SQS-triggered): EventBridge events fan out into delivery jobs, jobs not yet due go
 * back on the queue with the remaining delay (SQS delays stop at 15 minutes: checked on real SendMessage commands with
 * aws-sdk-client-mock), due jobs are delivered, unreadable messages are dropped loudly, and a dependency failure is a
 * reported batch item failure.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createWebhookDispatcherHandler } from '../../../functions/webhook-dispatcher.js';
import { SqsDeliveryScheduler } from '../../../src/adapters/aws/sqs-delivery-scheduler.js';
import { MemoryWebhookStore, MemoryWebhookTransport } from '../../../src/adapters/memory/memory-monitoring.js';
import type { KakuninEvent } from '../../../src/core/model.js';
import { WebhookDispatcher } from '../../../src/core/webhooks/webhook-dispatcher.js';

const NOW = Date.UTC(2026, 0, 15, 12);
const sqs = mockClient(SQSClient);
const event: KakuninEvent = {
  id: 'evt_000000000000000000000009',
  type: 'agent.certificate_revoked',
  createdAt: new Date(NOW).toISOString(),
  tenantId: 't1',
  data: { agent_id: 'a_1' },
};

const record = (body: unknown, messageId: string): SQSRecord =>
  ({ messageId, body: typeof body === 'string' ? body : JSON.stringify(body) }) as SQSRecord;

describe('webhook dispatcher handler', () => {
  let webhooks: MemoryWebhookStore;
  let transport: MemoryWebhookTransport;
  let handler: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

  beforeEach(async () => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    webhooks = new MemoryWebhookStore();
    transport = new MemoryWebhookTransport();
    await webhooks.create({
      tenantId: 't1',
      id: 'wh_1',
      url: 'https://receiver.example/h',
      eventTypes: [],
      secret: `whsec_${Buffer.alloc(32, 3).toString('base64')}`,
      createdAt: NOW,
    });
    const scheduler = new SqsDeliveryScheduler(
      new SQSClient({ region: 'eu-west-1' }),
      'https://sqs.example/q',
      () => NOW,
    );
    const dispatcher = new WebhookDispatcher({
      webhooks,
      transport,
      scheduler,
      clock: { now: () => NOW },
      jitter: () => 0.5,
    });
    handler = createWebhookDispatcherHandler(async () => ({
      dispatcher,
      requeue: (message) => scheduler.enqueue(message),
      now: () => NOW,
    }));
  });

  const sent = () => sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);

  it('fans an EventBridge event out into one queued delivery job per subscription', async () => {
    const eventBridge = { version: '0', source: 'kakunin', 'detail-type': event.type, detail: event };
    expect(await handler({ Records: [record(eventBridge, 'm1')] })).toEqual({ batchItemFailures: [] });
    expect(sent()).toHaveLength(1);
    expect(sent()[0]).toMatchObject({ QueueUrl: 'https://sqs.example/q', DelaySeconds: 0 });
    expect(JSON.parse(sent()[0]!.MessageBody!)).toMatchObject({
      job: { webhookId: 'wh_1', attempt: 1 },
      notBefore: NOW,
    });
  });

  it('delivers a due job; a failure schedules the next attempt with its backoff delay', async () => {
    const job = { tenantId: 't1', webhookId: 'wh_1', event, attempt: 1, firstAttemptAt: NOW };
    await handler({ Records: [record({ job, notBefore: NOW }, 'm1')] });
    expect(transport.requests).toHaveLength(1);
    expect(sent()).toHaveLength(0);
    transport.status = 502;
    await handler({ Records: [record({ job, notBefore: NOW }, 'm2')] });
    expect(sent()[0]).toMatchObject({ DelaySeconds: 5 });
    expect(JSON.parse(sent()[0]!.MessageBody!)).toMatchObject({ job: { attempt: 2 }, notBefore: NOW + 5_000 });
  });

  it('sends a job that is not due back with the remaining delay, at most 15 minutes', async () => {
    const job = { tenantId: 't1', webhookId: 'wh_1', event, attempt: 9, firstAttemptAt: NOW };
    await handler({ Records: [record({ job, notBefore: NOW + 8 * 3_600_000 }, 'm1')] });
    expect(transport.requests).toHaveLength(0);
    expect(sent()[0]).toMatchObject({ DelaySeconds: 900 });
  });

  it('drops an unreadable message without failing the batch, and reports a dependency failure', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('throttled'));
    const eventBridge = { source: 'kakunin', 'detail-type': event.type, detail: event };
    const answer = await handler({ Records: [record('{nope', 'bad'), record(eventBridge, 'dep')] });
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'dep' }] });
  });
});
