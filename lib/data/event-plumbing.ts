/**
 * Where verified actions and domain events leave the API: the Kinesis stream (behavioural pipeline) and the
 * EventBridge bus (docs/api.md §5), with an archive so events can be replayed to a subscriber added later.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';

export interface EventPlumbingProps {
  streamCapacity: number | 'on-demand';
  streamRetentionHours: number;
  archiveRetentionDays: number;
}

/** The EventBridge `source` of every Kakunin event (docs/api.md §5). */
export const EVENT_SOURCE = 'kakunin';

export class EventPlumbing extends Construct {
  readonly stream: Stream;
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: EventPlumbingProps) {
    super(scope, id);
    this.stream = new Stream(this, 'ActionStream', {
      encryption: StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(props.streamRetentionHours),
      ...(props.streamCapacity === 'on-demand'
        ? { streamMode: StreamMode.ON_DEMAND }
        : { streamMode: StreamMode.PROVISIONED, shardCount: props.streamCapacity }),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.stream).acknowledge({
      id: 'AwsSolutions-KDS3',
      reason:
        'Encrypted at rest with the AWS-managed aws/kinesis key: no per-key charge and consumers need no kms:Decrypt ' +
        'grant; records carry action payloads, which the ledger already keeps, not keys or secrets.',
    });

    this.bus = new EventBus(this, 'EventBus');
    this.bus.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.bus.archive('EventArchive', {
      description: 'Every Kakunin event, for replay to late subscribers',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(props.archiveRetentionDays),
    });
  }
}
