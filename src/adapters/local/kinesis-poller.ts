/**
 * Local mode's stand-in for the Lambda event source mapping: polls every shard of the kinesalite stream and invokes
 * the SAME consumer handler the deployed Lambda runs, with the same event shape (`KinesisStreamEvent`) and the same
 * answer (`batchItemFailures`). It mirrors the mapping's failure semantics: a batch is retried from the first
 * reported failure; that record is then retried alone (bisection down to the culprit) up to `maxRetries` times, and
 * finally parked with `onPoison` (the deployed on-failure destination) so it never blocks the shard.
 * The position reached in each shard is checkpointed to a file, so a restart neither skips nor replays records.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

export type KinesisHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | undefined>;

export interface KinesisPollerOptions {
  kinesis: KinesisClient;
  streamName: string;
  handler: KinesisHandler;
  /** JSON file of the last processed sequence number per shard; in memory only when absent. */
  checkpointFile?: string;
  /** @default 100 (the 2 s local freshness budget in docs/behavior.md) */
  pollIntervalMs?: number;
  /** @default 100 */
  batchSize?: number;
  /** Retries of a failing record alone before it is parked. @default 3 */
  maxRetries?: number;
  /** Receives a parked record (metadata, as the on-failure destination does). */
  onPoison?: (record: { shardId: string; sequenceNumber: string; attempts: number }) => void | Promise<void>;
  region?: string;
}

interface ShardCursor {
  shardId: string;
  iterator: string | undefined;
  pending: _Record[];
  /** Records handed to the handler at once: the whole buffer, or 1 while a failing record is isolated. */
  isolate: boolean;
  attempts: number;
}

export class KinesisPoller {
  private checkpoints: Record<string, string> = {};
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: KinesisPollerOptions) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.checkpoints = await this.readCheckpoints();
    const shards = await this.options.kinesis.send(new ListShardsCommand({ StreamName: this.options.streamName }));
    const cursors: ShardCursor[] = [];
    for (const shard of shards.Shards ?? []) {
      if (shard.ShardId === undefined) continue;
      cursors.push({
        shardId: shard.ShardId,
        iterator: await this.iteratorFor(shard.ShardId),
        pending: [],
        isolate: false,
        attempts: 0,
      });
    }
    this.running = true;
    this.loop = this.run(cursors);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(cursors: ShardCursor[]): Promise<void> {
    const interval = this.options.pollIntervalMs ?? 100;
    while (this.running) {
      let busy = false;
      for (const cursor of cursors) {
        try {
          busy = (await this.step(cursor)) || busy;
        } catch {
          // The emulator is stopping or briefly unavailable: try again on the next tick.
        }
      }
      if (!busy && this.running) await this.sleep(interval);
    }
  }

  /** One handler call for one shard; true when there was something to do. */
  private async step(cursor: ShardCursor): Promise<boolean> {
    if (cursor.pending.length === 0) {
      if (cursor.iterator === undefined) return false;
      const out = await this.options.kinesis.send(
        new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: this.options.batchSize ?? 100 }),
      );
      cursor.iterator = out.NextShardIterator;
      cursor.pending = out.Records ?? [];
      if (cursor.pending.length === 0) return false;
    }
    const batch = cursor.isolate ? cursor.pending.slice(0, 1) : cursor.pending;
    let failed: Set<string>;
    try {
      const answer = await this.options.handler(this.eventFor(cursor.shardId, batch));
      failed = new Set((answer?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((r) => r.SequenceNumber ?? '')); // a thrown handler fails the whole batch
    }
    const firstFailed = batch.findIndex((r) => failed.has(r.SequenceNumber ?? ''));
    const done = firstFailed === -1 ? batch.length : firstFailed;
    if (done > 0) {
      await this.checkpoint(cursor.shardId, batch[done - 1]?.SequenceNumber);
      cursor.pending.splice(0, done);
      cursor.isolate = false;
      cursor.attempts = 0;
    }
    if (firstFailed === -1) return true;
    // Retry the failing record alone; after maxRetries park it and move on.
    cursor.isolate = true;
    cursor.attempts += 1;
    if (cursor.attempts > (this.options.maxRetries ?? 3)) {
      const poison = cursor.pending.shift();
      await this.options.onPoison?.({
        shardId: cursor.shardId,
        sequenceNumber: poison?.SequenceNumber ?? '',
        attempts: cursor.attempts,
      });
      await this.checkpoint(cursor.shardId, poison?.SequenceNumber);
      cursor.isolate = false;
      cursor.attempts = 0;
      return true;
    }
    await this.sleep(Math.min(50 * 2 ** cursor.attempts, 1_000));
    return true;
  }

  private eventFor(shardId: string, records: _Record[]): KinesisStreamEvent {
    const region = this.options.region ?? 'local';
    return {
      Records: records.map(
        (record): KinesisStreamRecord => ({
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: record.PartitionKey ?? '',
            sequenceNumber: record.SequenceNumber ?? '',
            data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
            approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? 0) / 1000,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: `${shardId}:${record.SequenceNumber ?? ''}`,
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: 'local',
          awsRegion: region,
          eventSourceARN: `arn:aws:kinesis:${region}:000000000000:stream/${this.options.streamName}`,
        }),
      ),
    };
  }

  private async iteratorFor(shardId: string): Promise<string | undefined> {
    const after = this.checkpoints[shardId];
    const out = await this.options.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.options.streamName,
        ShardId: shardId,
        ...(after === undefined
          ? { ShardIteratorType: 'TRIM_HORIZON' }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after }),
      }),
    );
    return out.ShardIterator;
  }

  private async checkpoint(shardId: string, sequenceNumber: string | undefined): Promise<void> {
    if (sequenceNumber === undefined || sequenceNumber === '') return;
    this.checkpoints[shardId] = sequenceNumber;
    const file = this.options.checkpointFile;
    if (file === undefined) return;
    await writeFile(`${file}.tmp`, JSON.stringify(this.checkpoints), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  private async readCheckpoints(): Promise<Record<string, string>> {
    const file = this.options.checkpointFile;
    if (file === undefined) return {};
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Record<
        string,
        string
      >;
    } catch {
      return {};
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
