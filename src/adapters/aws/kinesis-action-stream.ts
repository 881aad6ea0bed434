/**
 * ActionStream on Kinesis: one PutRecord per verified action, partition key = agent id so one agent's actions stay
 * in order on one shard (the behavioural pipeline reads them as a sequence). Any failure is a DependencyError.
 */
import { type KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { DependencyError } from '../../core/errors.js';
import type { VerifiedAction } from '../../core/model.js';
import type { ActionStream } from '../../ports.js';

/** Kinesis caps partition keys at 256 Unicode characters. */
const MAX_PARTITION_KEY = 256;

export class KinesisActionStream implements ActionStream {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  async publish(action: VerifiedAction): Promise<void> {
    const partitionKey = action.agentId;
    if (typeof partitionKey !== 'string' || partitionKey.length === 0 || partitionKey.length > MAX_PARTITION_KEY) {
      throw new DependencyError('verified action has no usable partition key');
    }
    try {
      await this.client.send(
        new PutRecordCommand({
          StreamName: this.streamName,
          PartitionKey: partitionKey,
          Data: new TextEncoder().encode(JSON.stringify(action)),
        }),
      );
    } catch (error) {
      throw new DependencyError('action stream publish failed', error);
    }
  }
}
