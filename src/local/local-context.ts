/**
 * Local mode's composition root: the same ports as on AWS, backed by embedded stand-ins persisted under the data
 * directory: dynalite for DynamoDB (`<dataDir>/dynamodb`), kinesalite for Kinesis (`<dataDir>/kinesis`), the file
 * key vault (`<dataDir>/keys`) and an in-process event bus. Then the tenant bootstrap: root CA, the `local` tenant's
 * issuing CA, and its admin key.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoBehaviorStore } from '../adapters/aws/dynamo/behavior-store.js';
import { createDynamoStores } from '../adapters/aws/dynamo/index.js';
import { DynamoWebhookStore } from '../adapters/aws/dynamo/webhook-store.js';
import { KinesisActionStream } from '../adapters/aws/kinesis-action-stream.js';
import { type Emulators, LOCAL_MONITORING_TABLE, startEmulators } from '../adapters/local/emulators.js';

export { LOCAL_MONITORING_TABLE };

import { FileCrlStore } from '../adapters/local/file-crl-store.js';
import { LocalEventBus } from '../adapters/local/local-event-bus.js';
import { LocalKeyVault } from '../adapters/local/local-key-vault.js';
import { LocalLogArchive } from '../adapters/local/local-log-archive.js';
import { HttpWebhookTransport } from '../adapters/webhooks/http-transport.js';
import { assembleContext } from '../app/assemble.js';
import type { AppConfig } from '../app/config.js';
import type { AppContext, Ports } from '../app/context.js';
import { TimerDeliveryScheduler } from '../core/webhooks/timer-scheduler.js';
import type { DeliveryJob } from '../core/webhooks/webhook-dispatcher.js';
import type { Clock } from '../ports.js';
import { type AdminKeyOutcome, ensureAdminKey } from './admin-key.js';
import { ensureCheckpointKey } from './checkpoint-key.js';
import { startLocalMonitoring } from './local-monitoring.js';

export const LOCAL_TENANT_ID = 'local';
/** Contract §4 default: ±300 s. */
const TIMESTAMP_WINDOW_MS = 300_000;
/** Contract §7: locally, a checkpoint covers every entry written more than 2 s before it was requested. */
const LOCAL_CHECKPOINT_COVERAGE_MS = 2_000;

export interface LocalPorts {
  ports: Ports;
  tables: AppConfig['tables'];
  streamName: string;
  eventBus: LocalEventBus;
  /**
   * The running stand-ins: their configured SDK clients and `dynamoClientConfig()` / `kinesisClientConfig()` for
   * any further client in this process (they listen on Unix sockets only: a plain endpoint URL cannot reach them).
   */
  emulators: Emulators;
  dataDir: string;
  /** Runs delivery jobs once the dispatcher exists (set by buildLocalContext). */
  bindDeliveries(
    run: (job: DeliveryJob) => Promise<void>,
    park: (job: DeliveryJob, reason: string) => Promise<void>,
  ): void;
  /** Stops webhook timers (pending deliveries become dead letters), then the emulators (LevelDB flushed and closed). */
  stop(): Promise<void>;
}

export async function buildLocalPorts(options: {
  dataDir: string;
  log?: (line: string) => void;
  clock?: Clock;
}): Promise<LocalPorts> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const emulators = await startEmulators({ dataDir });
  try {
    const clock: Clock = options.clock ?? { now: () => Date.now() };
    const stores = createDynamoStores(emulators.doc, emulators.tableNames, clock, {
      monitoringTable: emulators.monitoringTable,
    });
    const eventBus = new LocalEventBus(options.log === undefined ? {} : { log: options.log });
    const behavior = new DynamoBehaviorStore(emulators.doc, emulators.monitoringTable);
    const webhooks = new DynamoWebhookStore(emulators.doc, emulators.monitoringTable);
    let deliveries: { run(job: DeliveryJob): Promise<void>; park(job: DeliveryJob, reason: string): Promise<void> } = {
      run: async () => undefined,
      park: async () => undefined,
    };
    const scheduler = new TimerDeliveryScheduler(
      (job) => deliveries.run(job),
      (job, reason) => deliveries.park(job, reason),
    );
    const ports: Ports = {
      ...stores,
      clock,
      random: { bytes: (length) => new Uint8Array(randomBytes(length)) },
      vault: new LocalKeyVault({ dataDir }),
      archive: new LocalLogArchive(dataDir),
      crls: new FileCrlStore(dataDir),
      stream: new KinesisActionStream(emulators.kinesis, emulators.streamName),
      events: eventBus,
      risk: behavior,
      behavior,
      webhooks,
      // Local mode: http to a loopback receiver is allowed; private and link-local addresses are still refused.
      webhookTransport: new HttpWebhookTransport({ allowLoopbackHttp: true }),
      webhookScheduler: scheduler,
    };
    return {
      ports,
      tables: emulators.tableNames,
      streamName: emulators.streamName,
      eventBus,
      emulators,
      dataDir,
      bindDeliveries: (run, park) => {
        deliveries = { run, park };
      },
      stop: async () => {
        await scheduler.stop();
        await emulators.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}

export interface LocalContextOptions {
  dataDir: string;
  port: number;
  /** `KAKUNIN_API_KEY`: becomes the local tenant's admin key; absent → a new key is generated. */
  adminKey?: string;
  log?: (line: string) => void;
  /**
   * The service's clock. @default the system clock. Only the behavioural scenario and its benchmark pass another
   * (a clock running faster than real time, so a 10-minute burst takes seconds): docs/behavior.md.
   */
  clock?: Clock;
}

export interface LocalContext {
  context: AppContext;
  eventBus: LocalEventBus;
  /** The running stand-ins (see LocalPorts.emulators). */
  emulators: Emulators;
  adminKey: AdminKeyOutcome;
  stop(): Promise<void>;
}

export async function buildLocalContext(options: LocalContextOptions): Promise<LocalContext> {
  const local = await buildLocalPorts(options);
  try {
    const config: AppConfig = {
      tables: local.tables,
      actionStream: local.streamName,
      eventBus: 'local',
      publicBaseUrl: `http://127.0.0.1:${options.port}`,
      timestampWindowMs: TIMESTAMP_WINDOW_MS,
      defaultTenantId: LOCAL_TENANT_ID,
      monitoringTable: LOCAL_MONITORING_TABLE,
      allowLoopbackWebhooks: true,
      // The same key across restarts, so every checkpoint verifies with the one published verifier key.
      checkpointKeyId: await ensureCheckpointKey(local.ports.vault, local.dataDir),
      logHost: 'localhost',
      checkpointCoverageMs: LOCAL_CHECKPOINT_COVERAGE_MS,
    };
    const context = assembleContext(local.ports, config);
    await context.ca.ensureRoot();
    await context.ca.ensureTenant(LOCAL_TENANT_ID);
    const adminKey = await ensureAdminKey({ ...local.ports, tenantId: LOCAL_TENANT_ID }, options.adminKey);
    const monitoring = await startLocalMonitoring(context, local, options.log);
    const stop = async () => {
      await monitoring.stop();
      await local.stop();
    };
    return { context, eventBus: local.eventBus, emulators: local.emulators, adminKey, stop };
  } catch (error) {
    await local.stop();
    throw error;
  }
}
