/** Wires every DynamoDB store from one document client and the configured table names. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  AgentStore,
  ApiKeyStore,
  CaStore,
  CertificateStore,
  CheckpointStore,
  Clock,
  Ledger,
  NonceStore,
  VelocityStore,
} from '../../../ports.js';
import { DynamoAgentStore } from './agent-store.js';
import { DynamoApiKeyStore } from './api-key-store.js';
import { DynamoCaStore } from './ca-store.js';
import { DynamoCertificateStore } from './certificate-store.js';
import { DynamoCheckpointStore } from './checkpoint-store.js';
import { DynamoLedger } from './ledger.js';
import { DynamoNonceStore } from './nonce-store.js';
import type { TableNames } from './tables.js';
import { DynamoVelocityStore } from './velocity-store.js';

export interface DynamoStores {
  agents: AgentStore;
  certificates: CertificateStore;
  apiKeys: ApiKeyStore;
  caStore: CaStore;
  nonces: NonceStore;
  velocity: VelocityStore;
  ledger: Ledger;
  checkpoints: CheckpointStore;
}

/** `monitoringTable`: where the verifier's state read finds each agent's risk score (see DynamoCertificateStore). */
export function createDynamoStores(
  doc: DynamoDBDocumentClient,
  tables: TableNames,
  clock?: Clock,
  options: { monitoringTable?: string } = {},
): DynamoStores {
  const { monitoringTable } = options;
  return {
    agents: new DynamoAgentStore(doc, tables),
    certificates: new DynamoCertificateStore(
      doc,
      tables,
      monitoringTable === undefined ? {} : { riskTable: monitoringTable },
    ),
    apiKeys: new DynamoApiKeyStore(doc, tables),
    caStore: new DynamoCaStore(doc, tables),
    nonces: new DynamoNonceStore(doc, tables),
    velocity: new DynamoVelocityStore(doc, tables),
    ledger: new DynamoLedger(doc, tables, clock),
    checkpoints: new DynamoCheckpointStore(doc, tables),
  };
}

export { createTables, TABLES, type TableNames } from './tables.js';
