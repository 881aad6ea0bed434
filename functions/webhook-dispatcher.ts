/**
 * The webhook dispatcher (an SQS-triggered Lambda when deployed). The queue carries two kinds of message:
 * - an EventBridge event (`detail-type` + `detail`), put there by the bus rule: fanned out into one delivery job per
 *   matching subscription, queued on the same queue;
 * - a delivery job (`{job, notBefore}`): delivered when due, or sent back with the remaining delay (SQS delays stop
 *   at 15 minutes; the retry schedule goes up to 12 h).
 * A message that cannot be handled (a dependency failed) is reported as a batch item failure and retried by SQS; after
 * the queue's maxReceiveCount it lands on the DLQ (alarmed). A message that can never be handled (not JSON, unknown
 * shape) is logged with its id and dropped loudly, since retrying it cannot help.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueuedDelivery } from '../src/adapters/aws/sqs-delivery-scheduler.js';
import type { Provider } from '../src/app/context.js';
import type { KakuninEvent } from '../src/core/model.js';
import type { WebhookDispatcher } from '../src/core/webhooks/webhook-dispatcher.js';
import { logger, metrics } from '../src/http/observability.js';

export interface DispatcherContext {
  dispatcher: WebhookDispatcher;
  /** Re-queues a job that is not due yet. */
  requeue(message: QueuedDelivery): Promise<void>;
  now(): number;
}

type Message = { kind: 'event'; event: KakuninEvent } | { kind: 'job'; queued: QueuedDelivery } | undefined;

function parseMessage(body: string): Message {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const record = parsed as Record<string, unknown>;
  if (record.source === 'kakunin' && typeof record['detail-type'] === 'string' && typeof record.detail === 'object') {
    const event = record.detail as KakuninEvent;
    if (typeof event?.id === 'string' && typeof event.tenantId === 'string') return { kind: 'event', event };
    return undefined;
  }
  const job = record.job as QueuedDelivery['job'] | undefined;
  if (typeof record.notBefore === 'number' && typeof job?.webhookId === 'string' && typeof job.attempt === 'number') {
    return { kind: 'job', queued: { job, notBefore: record.notBefore } };
  }
  return undefined;
}

export const createWebhookDispatcherHandler =
  (contextProvider: Provider<DispatcherContext>) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const ctx = await contextProvider();
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event?.Records ?? []) {
      const message = parseMessage(record.body);
      try {
        if (message === undefined) {
          logger.error('webhook queue: unreadable message dropped', { messageId: record.messageId });
          metrics.addMetric('WebhookUnreadableMessages', MetricUnit.Count, 1);
        } else if (message.kind === 'event') {
          await ctx.dispatcher.dispatch(message.event);
        } else if (message.queued.notBefore > ctx.now()) {
          await ctx.requeue(message.queued);
        } else {
          const outcome = await ctx.dispatcher.deliver(message.queued.job);
          if (outcome !== 'delivered') metrics.addMetric('WebhookDeliveryFailures', MetricUnit.Count, 1);
          if (outcome === 'dead_letter') metrics.addMetric('WebhookDeadLetters', MetricUnit.Count, 1);
        }
      } catch (error) {
        logger.warn('webhook queue: message failed, SQS retries it', {
          messageId: record.messageId,
          error: error instanceof Error ? error.name : 'Error',
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    metrics.publishStoredMetrics();
    return { batchItemFailures: failures };
  };
