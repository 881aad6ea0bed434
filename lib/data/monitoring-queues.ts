/**
 * The queues of the behavioural pipeline, kept with the data because they hold work not yet done:
 * - `webhookQueue`: EventBridge puts every event here; the dispatcher fans it out into delivery jobs on the same
 *   queue and retries each on the backoff schedule (src/core/webhooks/delivery-schedule.ts) with message delays;
 *   a message the dispatcher itself keeps failing moves to `webhookDlq` after 5 receives;
 * - `consumerFailures`: the on-failure destination of the action stream's event source mapping (metadata of batches
 *   that failed every retry, so they can be re-read from the stream; records never block an agent's shard).
 * - the EventBridge rule that sends every event to `webhookQueue` (its own failures land in `webhookDlq`).
 * All SQS-managed encryption, TLS-only, 14 days' retention, retained on stack deletion.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The dispatcher's timeout; the queue's visibility timeout is six times it (AWS's advice for SQS event sources). */
export const DISPATCHER_TIMEOUT_SECONDS = 30;

export class MonitoringQueues extends Construct {
  readonly webhookQueue: Queue;
  readonly webhookDlq: Queue;
  readonly consumerFailures: Queue;

  constructor(scope: Construct, id: string, props: { bus: IEventBus; eventSource: string }) {
    super(scope, id);
    const queue = (queueId: string, extra: Partial<ConstructorParameters<typeof Queue>[2]> = {}) => {
      const q = new Queue(this, queueId, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy: RemovalPolicy.RETAIN,
        ...extra,
      });
      return q;
    };
    this.webhookDlq = queue('WebhookDlq');
    this.consumerFailures = queue('ConsumerFailures');
    for (const dlq of [this.webhookDlq, this.consumerFailures]) {
      Validations.of(dlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself a dead-letter / on-failure destination; a DLQ of a DLQ would only move the problem.',
      });
    }
    this.webhookQueue = queue('WebhookQueue', {
      visibilityTimeout: Duration.seconds(DISPATCHER_TIMEOUT_SECONDS * 6),
      deadLetterQueue: { queue: this.webhookDlq, maxReceiveCount: 5 },
    });
    // Every Kakunin event goes to webhook delivery (docs/api.md §5). Here, beside the queue, because the target adds a
    // queue policy naming the rule: a rule in the stateless stack would make the two stacks depend on each other.
    new Rule(this, 'EventsToWebhooks', {
      eventBus: props.bus,
      description: 'Every Kakunin event to the webhook dispatcher queue',
      eventPattern: { source: [props.eventSource] },
      targets: [new SqsQueue(this.webhookQueue, { deadLetterQueue: this.webhookDlq, retryAttempts: 185 })],
    });
  }
}
