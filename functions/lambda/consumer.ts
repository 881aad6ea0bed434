/**
 * Lambda entry of the action stream's consumer (functions/action-consumer.ts), behind a Kinesis event source mapping
 * (lib/compute/monitoring-functions.ts: batch window, bisect on error, on-failure SQS destination, reported batch
 * item failures). It revokes through the CA (KMS signs nothing here: revocation is a registry write, the CRL is
 * built on request), audits, and publishes events.
 */
import { buildAwsPorts } from '../../src/app/aws-context.js';
import { createCertificateAuthority } from '../../src/app/ca-factory.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv } from '../../src/app/config.js';
import { createActionConsumer } from '../../src/app/monitoring.js';
import { createBehaviorEngine } from '../../src/core/behavior/index.js';
import { logger } from '../../src/http/observability.js';
import { type ConsumerContext, createActionConsumerHandler } from '../action-consumer.js';

const context = cachedProvider((): ConsumerContext => {
  const config = configFromEnv();
  const ports = buildAwsPorts(config);
  return {
    consumer: createActionConsumer({
      ...ports,
      ca: createCertificateAuthority(ports, config),
      engine: createBehaviorEngine(),
      onAgentFailure: ({ tenantId, agentId, error }) =>
        logger.warn('agent batch failed', { tenantId, agentId, error: error instanceof Error ? error.name : 'Error' }),
    }),
  };
});

export const handler = createActionConsumerHandler(context);
