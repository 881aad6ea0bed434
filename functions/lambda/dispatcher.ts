/** Lambda entry of the webhook dispatcher (functions/webhook-dispatcher.ts), triggered by the webhook queue. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoWebhookStore } from '../../src/adapters/aws/dynamo/webhook-store.js';
import { SqsDeliveryScheduler } from '../../src/adapters/aws/sqs-delivery-scheduler.js';
import { HttpWebhookTransport } from '../../src/adapters/webhooks/http-transport.js';
import { createDocumentClient } from '../../src/app/aws/dynamo.js';
import { SDK_MAX_ATTEMPTS, sdkRequestHandler } from '../../src/app/aws/http-handler.js';
import { systemClock } from '../../src/app/aws/runtime.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv, requireSetting } from '../../src/app/config.js';
import { WebhookDispatcher } from '../../src/core/webhooks/webhook-dispatcher.js';
import { logger } from '../../src/http/observability.js';
import { createWebhookDispatcherHandler, type DispatcherContext } from '../webhook-dispatcher.js';

const context = cachedProvider((): DispatcherContext => {
  const config = configFromEnv();
  const scheduler = new SqsDeliveryScheduler(
    new SQSClient({ maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: sdkRequestHandler() }),
    requireSetting(config, 'webhookQueueUrl'),
    () => systemClock.now(),
  );
  const dispatcher = new WebhookDispatcher({
    webhooks: new DynamoWebhookStore(createDocumentClient(), requireSetting(config, 'monitoringTable')),
    transport: new HttpWebhookTransport({ allowLoopbackHttp: false }),
    scheduler,
    clock: systemClock,
    jitter: Math.random,
    // Ids and a short reason only: never the URL, the body or the secret.
    onAttemptFailed: (failure) => logger.warn('webhook attempt failed', failure),
    onDeadLetter: (letter) => logger.error('webhook delivery dead-lettered', letter),
  });
  return { dispatcher, requeue: (message) => scheduler.enqueue(message), now: () => systemClock.now() };
});

export const handler = createWebhookDispatcherHandler(context);
