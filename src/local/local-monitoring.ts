/**
 * Local mode's behavioural pipeline, wired like the deployed one: the kinesalite poller invokes the consumer handler
 * (functions/action-consumer.ts) every 100 ms, events on the local bus go to the webhook dispatcher, and delivery
 * retries run on timers. A record the consumer keeps failing is parked in `<dataDir>/consumer-dead-letters.jsonl`
 * (sequence numbers only, like the on-failure destination) after its retries, so it never blocks the stream.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createActionConsumerHandler } from '../../functions/action-consumer.js';
import { KinesisPoller } from '../adapters/local/kinesis-poller.js';
import type { AppContext } from '../app/context.js';
import { createActionConsumer } from '../app/monitoring.js';
import type { LocalPorts } from './local-context.js';

/** Poll interval: well inside the 2 s local freshness budget (docs/api.md §6) even with a retry in between. */
export const LOCAL_POLL_INTERVAL_MS = 100;

export interface LocalMonitoring {
  poller: KinesisPoller;
  stop(): Promise<void>;
}

export async function startLocalMonitoring(
  context: AppContext,
  local: Pick<LocalPorts, 'emulators' | 'streamName' | 'dataDir' | 'eventBus' | 'bindDeliveries'>,
  log: (line: string) => void = () => undefined,
): Promise<LocalMonitoring> {
  const { dispatcher, engine } = context.monitoring;
  const consumer = createActionConsumer({
    ...context,
    engine,
    onAgentFailure: ({ agentId, error }) =>
      log(`monitoring: batch of agent ${agentId} failed (${error instanceof Error ? error.name : 'error'}), retrying`),
  });
  const handler = createActionConsumerHandler(async () => ({ consumer }));
  const poller = new KinesisPoller({
    kinesis: local.emulators.kinesis,
    streamName: local.streamName,
    handler,
    checkpointFile: join(local.dataDir, 'kinesis-checkpoint.json'),
    pollIntervalMs: LOCAL_POLL_INTERVAL_MS,
    onPoison: async (record) => {
      log(`monitoring: record ${record.sequenceNumber} parked after ${record.attempts} attempts`);
      await appendFile(
        join(local.dataDir, 'consumer-dead-letters.jsonl'),
        `${JSON.stringify({ ...record, parkedAt: new Date().toISOString() })}\n`,
        { mode: 0o600 },
      );
    },
  });
  local.bindDeliveries(
    async (job) => {
      await dispatcher.deliver(job);
    },
    (job, reason) => dispatcher.deadLetter(job, reason),
  );
  const unsubscribe = local.eventBus.subscribe(async (event) => {
    await dispatcher.dispatch(event);
  });
  await poller.start();
  return {
    poller,
    stop: async () => {
      unsubscribe();
      await poller.stop();
    },
  };
}
