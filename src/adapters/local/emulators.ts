/**
 * Local mode's AWS stand-ins, embedded in this process: dynalite (DynamoDB) and kinesalite (Kinesis) on ephemeral
 * 127.0.0.1 ports, in memory or persisted under `<dataDir>/dynamodb` and `<dataDir>/kinesis`. Creates the four
 * tables and the action stream (idempotently, so a restart on the same directory keeps its data).
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ResourceInUseException,
} from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createTables, type TableNames } from '../aws/dynamo/tables.js';

/** The slice of dynalite's and kinesalite's CommonJS APIs used here (neither package ships types). */
type DynaliteFactory = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;
type KinesaliteFactory = (options: {
  path?: string;
  createStreamMs?: number;
  deleteStreamMs?: number;
  updateStreamMs?: number;
}) => Server;

const require = createRequire(import.meta.url);

export interface Emulators {
  dynamoEndpoint: string;
  kinesisEndpoint: string;
  tableNames: TableNames;
  streamName: string;
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  kinesis: KinesisClient;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Persist under this directory; in memory when absent. */
  dataDir?: string;
  host?: '127.0.0.1';
}

export const LOCAL_TABLE_NAMES: TableNames = {
  registry: 'kakunin-registry',
  nonces: 'kakunin-nonces',
  counters: 'kakunin-counters',
  ledger: 'kakunin-ledger',
};
export const LOCAL_STREAM_NAME = 'kakunin-actions';

/**
 * Emulators accept any credentials; these make the SDK skip its credential chain (no metadata-service lookups).
 * A fresh HTTP/1.1 handler per client (kinesalite crashes on HTTP/2), since `stop()` destroys it with the client.
 */
const localClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  requestHandler: new NodeHttpHandler(),
});

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const host = options.host ?? '127.0.0.1';
  const dataPath = (name: string) => {
    if (options.dataDir === undefined) return {};
    const path = join(options.dataDir, name);
    mkdirSync(path, { recursive: true });
    return { path };
  };
  const dynalite = require('dynalite') as DynaliteFactory;
  const kinesalite = require('kinesalite') as KinesaliteFactory;
  const dynamoServer = dynalite({ ...dataPath('dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const kinesisServer = kinesalite({ ...dataPath('kinesis'), createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  const dynamoEndpoint = `http://${host}:${await listen(dynamoServer, host)}`;
  const kinesisEndpoint = `http://${host}:${await listen(kinesisServer, host)}`;

  const dynamo = new DynamoDBClient(localClientConfig(dynamoEndpoint));
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const kinesis = new KinesisClient(localClientConfig(kinesisEndpoint));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    dynamo.destroy();
    kinesis.destroy();
    await Promise.all([close(dynamoServer), close(kinesisServer)]);
  };
  try {
    await createTables(dynamo, LOCAL_TABLE_NAMES);
    await createStream(kinesis, LOCAL_STREAM_NAME);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dynamoEndpoint,
    kinesisEndpoint,
    tableNames: { ...LOCAL_TABLE_NAMES },
    streamName: LOCAL_STREAM_NAME,
    dynamo,
    doc,
    kinesis,
    stop,
  };
}

async function createStream(kinesis: KinesisClient, streamName: string): Promise<void> {
  try {
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE`);
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Both emulators patch `close` to shut their LevelDB too, so a later start on the same directory can open it. */
function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
