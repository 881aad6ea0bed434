/**
 * Lambda entry of the monitoring routes (functions/monitoring.ts): the agent registry, the monitoring table, the
 * ledger, and the webhook dispatcher (replay delivers from this function; new deliveries go through the queue).
 */
import { DynamoAgentStore } from '../../src/adapters/aws/dynamo/agent-store.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo/ledger.js';
import { createDocumentClient } from '../../src/app/aws/dynamo.js';
import { createMonitoringPorts } from '../../src/app/aws/monitoring.js';
import { systemClock, systemRandom } from '../../src/app/aws/runtime.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv } from '../../src/app/config.js';
import { createMonitoringServices } from '../../src/app/monitoring-services.js';
import { createMonitoringHandler, type MonitoringContext } from '../monitoring.js';

const context = cachedProvider((): MonitoringContext => {
  const config = configFromEnv();
  const doc = createDocumentClient();
  const monitoring = createMonitoringPorts(doc, config);
  const ports = { ...monitoring, clock: systemClock };
  return {
    agents: new DynamoAgentStore(doc, config.tables),
    behavior: monitoring.behavior,
    webhooks: monitoring.webhooks,
    ledger: new DynamoLedger(doc, config.tables, systemClock),
    clock: systemClock,
    random: systemRandom,
    monitoring: createMonitoringServices(ports, config),
  };
});

export const handler = createMonitoringHandler(context);
