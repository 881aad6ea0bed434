/**
 * The full Lambda context (every port, CA and verifier), for the bootstrap function and anything else that needs all
 * of it. The route-group functions do not use this: each composes only its own ports (functions/lambda/*.ts), which
 * keeps their bundles and cold starts small. Built once per container, lazily; a failed build is retried.
 */
import { createDynamoStores } from '../adapters/aws/dynamo/index.js';
import { assembleContext } from './assemble.js';
import { createDocumentClient } from './aws/dynamo.js';
import { createEventPublisher } from './aws/eventbridge.js';
import { createActionStream } from './aws/kinesis.js';
import { createKeyVault } from './aws/kms.js';
import { createMonitoringPorts } from './aws/monitoring.js';
import { systemClock, systemRandom } from './aws/runtime.js';
import { createLogArchive } from './aws/s3.js';
import { cachedProvider } from './cached-provider.js';
import { type AppConfig, configFromEnv } from './config.js';
import type { ContextProvider, Ports } from './context.js';

export function buildAwsPorts(config: AppConfig): Ports {
  const doc = createDocumentClient();
  return {
    ...createDynamoStores(
      doc,
      config.tables,
      undefined,
      config.monitoringTable === undefined ? {} : { monitoringTable: config.monitoringTable },
    ),
    archive: createLogArchive(config),
    clock: systemClock,
    random: systemRandom,
    vault: createKeyVault(),
    stream: createActionStream(config.actionStream),
    events: createEventPublisher(config.eventBus),
    ...createMonitoringPorts(doc, config),
  };
}

export const awsContextProvider: ContextProvider = cachedProvider(() => {
  const config = configFromEnv();
  return assembleContext(buildAwsPorts(config), config);
});
