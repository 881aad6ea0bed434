/**
 * DeliveryScheduler on SQS: a delivery job is a message on the webhook queue, delayed by the retry delay. SQS caps a
 * message delay at 15 minutes, so a longer wait is carried as `notBefore` in the job: the dispatcher Lambda that
 * receives it too early sends it back with the remaining delay (at most a few hops for the 12 h steps). The queue's
 * own redrive policy (DLQ) only catches messages the dispatcher itself failed to process.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DependencyError } from '../../core/errors.js';
import type { DeliveryJob, DeliveryScheduler } from '../../core/webhooks/webhook-dispatcher.js';

export const MAX_SQS_DELAY_SECONDS = 900;

/** The queued message: the job plus the earliest time it may run. */
export interface QueuedDelivery {
  job: DeliveryJob;
  notBefore: number;
}

export class SqsDeliveryScheduler implements DeliveryScheduler {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly now: () => number,
  ) {}

  async schedule(job: DeliveryJob, delayMs: number): Promise<void> {
    await this.enqueue({ job, notBefore: this.now() + Math.max(0, delayMs) });
  }

  /** (Re)queues a delivery with the delay left until `notBefore`, capped at SQS's 15 minutes. */
  async enqueue(message: QueuedDelivery): Promise<void> {
    const remainingSeconds = Math.ceil(Math.max(0, message.notBefore - this.now()) / 1000);
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: JSON.stringify(message),
          DelaySeconds: Math.min(remainingSeconds, MAX_SQS_DELAY_SECONDS),
        }),
      );
    } catch (error) {
      throw new DependencyError('webhook queue unavailable', error);
    }
  }
}
