/**
 * Every port backed by its in-memory fake, for tests and in-process tools. The concrete types are kept so a test can
 * reach the fakes' hooks (recorded events, `failNextAppend`, …).
 */
import { randomBytes } from 'node:crypto';
import type { Ports } from '../../app/context.js';
import type { Clock, KeyVault } from '../../ports.js';
import { MemoryKeyVault } from './memory-key-vault.js';
import { MemoryLedger } from './memory-ledger.js';
import { MemoryCheckpointStore, MemoryLogArchive } from './memory-log.js';
import {
  MemoryBehaviorStore,
  MemoryDeliveryScheduler,
  MemoryWebhookStore,
  MemoryWebhookTransport,
} from './memory-monitoring.js';
import {
  MemoryAgentStore,
  MemoryApiKeyStore,
  MemoryCaStore,
  MemoryCertificateStore,
  MemoryNonceStore,
  MemoryVelocityStore,
} from './memory-stores.js';
import { MemoryActionStream, MemoryEventPublisher } from './memory-streams.js';

export interface MemoryPorts<V extends KeyVault = MemoryKeyVault> extends Ports {
  vault: V;
  ledger: MemoryLedger;
  archive: MemoryLogArchive;
  stream: MemoryActionStream;
  events: MemoryEventPublisher;
  /** The behaviour store is the risk reader, as deployed: the consumer's saves are what the verifier reads. */
  risk: MemoryBehaviorStore;
  behavior: MemoryBehaviorStore;
  webhooks: MemoryWebhookStore;
  webhookTransport: MemoryWebhookTransport;
  webhookScheduler: MemoryDeliveryScheduler;
}

export function memoryPorts<V extends KeyVault = MemoryKeyVault>(options: { clock: Clock; vault?: V }): MemoryPorts<V> {
  const behavior = new MemoryBehaviorStore();
  const agents = new MemoryAgentStore();
  return {
    clock: options.clock,
    random: { bytes: (length: number) => new Uint8Array(randomBytes(length)) },
    vault: options.vault ?? (new MemoryKeyVault() as unknown as V),
    agents,
    certificates: new MemoryCertificateStore(agents, behavior),
    apiKeys: new MemoryApiKeyStore(),
    caStore: new MemoryCaStore(),
    nonces: new MemoryNonceStore(),
    velocity: new MemoryVelocityStore(),
    ledger: new MemoryLedger(options.clock),
    checkpoints: new MemoryCheckpointStore(),
    archive: new MemoryLogArchive(),
    stream: new MemoryActionStream(),
    events: new MemoryEventPublisher(),
    risk: behavior,
    behavior,
    webhooks: new MemoryWebhookStore(),
    webhookTransport: new MemoryWebhookTransport(),
    webhookScheduler: new MemoryDeliveryScheduler(),
  };
}
