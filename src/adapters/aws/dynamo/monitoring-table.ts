/**
 * The monitoring table: one item per agent with its behavioural state and current risk (pk `AGENT#<tenant>#<agent>`,
 * sk `STATE`), and the tenant's webhook subscriptions and dead letters (pk `WEBHOOK#<tenant>`, sk `SUB#<id>` /
 * `DEAD#<webhook>#<event>`). Apart from the registry because it alone has TTL (an agent quiet for
 * `QUIET_AGENT_TTL_DAYS` loses its state) and because the consumer writes it far more often than anything else.
 * docs/data-model.md describes the items.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, type TableDefinition } from './tables.js';

export const MONITORING_TABLE: TableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [],
  ttlAttribute: 'expiresAt',
};

/** A state item expires this long after the agent's last action (its baseline then starts again from the prior). */
export const QUIET_AGENT_TTL_DAYS = 90;

export function monitoringTableInput(tableName: string): CreateTableCommandInput {
  return createTableInput(MONITORING_TABLE, tableName);
}

/** Idempotent, for local mode and the integration tests (dynalite has no TTL: expired items are simply kept). */
export async function createMonitoringTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(monitoringTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
