/**
 * Local mode's AWS stand-ins, embedded in this process: dynalite (DynamoDB) and kinesalite (Kinesis), in memory or
 * persisted under `<dataDir>/dynamodb` and `<dataDir>/kinesis`. They listen on Unix sockets in a 0700 directory, never
 * on a TCP port, so no other local user or process can reach their data except through the API (emulator-socket.ts).
 * Creates the four tables and the action stream (idempotently, so a restart on the same directory keeps its data).
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ResourceInUseException,
} from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createMonitoringTable } from '../aws/dynamo/monitoring-table.js';
import { createTables, type TableNames } from '../aws/dynamo/tables.js';
import { listenOnSocket, type StandInClientConfig, socketDirectory, standInClientConfig } from './emulator-socket.js';

export type { StandInClientConfig } from './emulator-socket.js';

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
  /** The Unix sockets the stand-ins listen on (inside a 0700 directory). */
  dynamoSocket: string;
  kinesisSocket: string;
  /**
   * Configuration for another SDK client of this process to reach a stand-in (a Kinesis poller, a second DynamoDB
   * client): `new KinesisClient(emulators.kinesisClientConfig())`. A fresh request handler on every call.
   */
  dynamoClientConfig(): StandInClientConfig;
  kinesisClientConfig(): StandInClientConfig;
  tableNames: TableNames;
  /** The monitoring table (behavioural state, risk scores, webhooks): docs/data-model.md. */
  monitoringTable: string;
  streamName: string;
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  kinesis: KinesisClient;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Persist under this directory (sockets in `<dataDir>/sockets`); in memory when absent. */
  dataDir?: string;
}

export const LOCAL_TABLE_NAMES: TableNames = {
  registry: 'kakunin-registry',
  nonces: 'kakunin-nonces',
  counters: 'kakunin-counters',
  ledger: 'kakunin-ledger',
};
export const LOCAL_MONITORING_TABLE = 'kakunin-monitoring';
export const LOCAL_STREAM_NAME = 'kakunin-actions';

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
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
  const sockets = socketDirectory(options.dataDir);
  const dynamoSocket = sockets.socket('dynamodb.sock');
  const kinesisSocket = sockets.socket('kinesis.sock');
  try {
    await listenOnSocket(dynamoServer, dynamoSocket);
    await listenOnSocket(kinesisServer, kinesisSocket);
  } catch (error) {
    await Promise.allSettled([close(dynamoServer), close(kinesisServer)]);
    sockets.dispose();
    throw error;
  }

  const dynamoClientConfig = () => standInClientConfig(dynamoSocket);
  const kinesisClientConfig = () => standInClientConfig(kinesisSocket);
  const dynamo = new DynamoDBClient(dynamoClientConfig());
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const kinesis = new KinesisClient(kinesisClientConfig());
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    dynamo.destroy();
    kinesis.destroy();
    await Promise.all([close(dynamoServer), close(kinesisServer)]);
    sockets.dispose();
  };
  try {
    await createTables(dynamo, LOCAL_TABLE_NAMES);
    await createMonitoringTable(dynamo, LOCAL_MONITORING_TABLE);
    await createStream(kinesis, LOCAL_STREAM_NAME);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dynamoSocket,
    kinesisSocket,
    dynamoClientConfig,
    kinesisClientConfig,
    tableNames: { ...LOCAL_TABLE_NAMES },
    monitoringTable: LOCAL_MONITORING_TABLE,
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

/** Both emulators patch `close` to shut their LevelDB too, so a later start on the same directory can open it. */
function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
