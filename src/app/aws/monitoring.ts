/** The monitoring ports of a deployed function: the monitoring table, the webhook queue and the HTTPS transport. */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoBehaviorStore } from '../../adapters/aws/dynamo/behavior-store.js';
import { DynamoWebhookStore } from '../../adapters/aws/dynamo/webhook-store.js';
import { SqsDeliveryScheduler } from '../../adapters/aws/sqs-delivery-scheduler.js';
import { HttpWebhookTransport } from '../../adapters/webhooks/http-transport.js';
import { type AppConfig, requireSetting } from '../config.js';
import type { Ports } from '../context.js';
import { SDK_MAX_ATTEMPTS, sdkRequestHandler } from './http-handler.js';
import { systemClock } from './runtime.js';

export type MonitoringPorts = Pick<Ports, 'behavior' | 'webhooks' | 'webhookTransport' | 'webhookScheduler' | 'risk'>;

export function createMonitoringPorts(doc: DynamoDBDocumentClient, config: AppConfig): MonitoringPorts {
  const table = requireSetting(config, 'monitoringTable');
  const behavior = new DynamoBehaviorStore(doc, table);
  return {
    behavior,
    risk: behavior,
    webhooks: new DynamoWebhookStore(doc, table),
    // Deployed: https only, public addresses only, checked at connect time (docs/events.md, "Webhook URLs").
    webhookTransport: new HttpWebhookTransport({ allowLoopbackHttp: false }),
    webhookScheduler: new SqsDeliveryScheduler(
      new SQSClient({ maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: sdkRequestHandler() }),
      requireSetting(config, 'webhookQueueUrl'),
      () => systemClock.now(),
    ),
  };
}
