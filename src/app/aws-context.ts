/**
 * The Lambda runtime's ContextProvider: reads the environment once, builds the AWS SDK clients and adapters once per
 * container (lazily, on the first request, never in a handler body) and wires the core services over them. A failed
 * build is not cached, so the next request retries instead of the container staying broken.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createKmsClient } from '../adapters/aws/aws-clients.js';
import { createDynamoStores } from '../adapters/aws/dynamo/index.js';
import { EventBridgePublisher } from '../adapters/aws/eventbridge-publisher.js';
import { KinesisActionStream } from '../adapters/aws/kinesis-action-stream.js';
import { KmsKeyVault } from '../adapters/aws/kms-key-vault.js';
import { NullRiskReader } from '../adapters/null-risk-reader.js';
import { assembleContext } from './assemble.js';
import { type AppConfig, configFromEnv } from './config.js';
import type { AppContext, ContextProvider, Ports } from './context.js';

/** Explicit timeouts: a stalled dependency becomes a 503 well inside the Lambda timeout. */
const requestHandler = () => new NodeHttpHandler({ connectionTimeout: 1_000, requestTimeout: 3_000 });

export function buildAwsPorts(config: AppConfig): Ports {
  const dynamo = new DynamoDBClient({ maxAttempts: 3, requestHandler: requestHandler() });
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  return {
    ...createDynamoStores(doc, config.tables),
    clock: { now: () => Date.now() },
    random: { bytes: (length: number) => new Uint8Array(randomBytes(length)) },
    vault: new KmsKeyVault({ client: createKmsClient() }),
    stream: new KinesisActionStream(
      new KinesisClient({ maxAttempts: 3, requestHandler: requestHandler() }),
      config.actionStream,
    ),
    events: new EventBridgePublisher(
      new EventBridgeClient({ maxAttempts: 3, requestHandler: requestHandler() }),
      config.eventBus,
    ),
    risk: new NullRiskReader(),
  };
}

let building: Promise<AppContext> | undefined;

export const awsContextProvider: ContextProvider = () => {
  building ??= Promise.resolve()
    .then(() => {
      const config = configFromEnv();
      return assembleContext(buildAwsPorts(config), config);
    })
    .catch((error: unknown) => {
      building = undefined;
      throw error;
    });
  return building;
};
