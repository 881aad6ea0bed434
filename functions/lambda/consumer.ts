/**
 * Lambda entry of the action stream's consumer (functions/action-consumer.ts), behind a Kinesis event source mapping
 * (lib/stateless-stack.ts `connectPipeline`: batch window, bisect on error, on-failure SQS destination, reported batch
 * item failures). Revocation is a registry write through the CA (loaded on first use: no x509 or KMS at cold start),
 * audited, and announced on the bus.
 */
import { DynamoAgentStore } from '../../src/adapters/aws/dynamo/agent-store.js';
import { DynamoBehaviorStore } from '../../src/adapters/aws/dynamo/behavior-store.js';
import { DynamoCaStore } from '../../src/adapters/aws/dynamo/ca-store.js';
import { DynamoCertificateStore } from '../../src/adapters/aws/dynamo/certificate-store.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo/ledger.js';
import { createDocumentClient } from '../../src/app/aws/dynamo.js';
import { createEventPublisher } from '../../src/app/aws/eventbridge.js';
import { systemClock, systemRandom } from '../../src/app/aws/runtime.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv, requireSetting } from '../../src/app/config.js';
import { createActionConsumer } from '../../src/app/monitoring.js';
import { createBehaviorEngine } from '../../src/core/behavior/index.js';
import { logger } from '../../src/http/observability.js';
import { type ConsumerContext, createActionConsumerHandler } from '../action-consumer.js';
import { lazyCa, lazyKmsVault } from './ca-loader.js';

const context = cachedProvider((): ConsumerContext => {
  const config = configFromEnv();
  const doc = createDocumentClient();
  const ports = {
    caStore: new DynamoCaStore(doc, config.tables),
    certificates: new DynamoCertificateStore(doc, config.tables),
    vault: lazyKmsVault(),
    clock: systemClock,
    random: systemRandom,
  };
  return {
    consumer: createActionConsumer({
      ...ports,
      ca: lazyCa(ports, config),
      agents: new DynamoAgentStore(doc, config.tables),
      ledger: new DynamoLedger(doc, config.tables, systemClock),
      events: createEventPublisher(config.eventBus),
      behavior: new DynamoBehaviorStore(doc, requireSetting(config, 'monitoringTable')),
      engine: createBehaviorEngine(),
      onAgentFailure: ({ tenantId, agentId, error }) =>
        logger.warn('agent batch failed', { tenantId, agentId, error: error instanceof Error ? error.name : 'Error' }),
    }),
  };
});

export const handler = createActionConsumerHandler(context);
