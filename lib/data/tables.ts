/**
 * The four DynamoDB tables, built from the data layer's own key schemas (src/adapters/aws/dynamo/tables.ts `TABLES`,
 * which local mode also creates against dynalite), so the deployed tables and the stores cannot drift apart.
 * All: on demand, point-in-time recovery, encrypted, deletion-protected, retained. The ledger carries the
 * append-only deny policy; nonces and counters expire by TTL.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { PolicyDocument } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MONITORING_TABLE } from '../../src/adapters/aws/dynamo/monitoring-table.js';
import {
  type KeyAttribute,
  TABLES,
  type TableDefinition,
  type TableNames,
} from '../../src/adapters/aws/dynamo/tables.js';
import { ledgerDenyPolicy } from './ledger-deny-policy.js';

export type TableName = keyof TableNames;

/** The GSI names of a table, for IAM statements that name each index instead of `index/*`. */
export const indexNamesOf = (name: TableName): string[] =>
  (TABLES[name] as TableDefinition).globalSecondaryIndexes.map((index) => index.indexName);

const attribute = (key: KeyAttribute) => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

export class KakuninTables extends Construct {
  readonly tables: Record<TableName, Table>;
  /** Per-agent behavioural state (TTL for agents gone quiet) and webhooks: src/adapters/aws/dynamo/monitoring-table.ts. */
  readonly monitoring: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.monitoring = this.table('Monitoring', MONITORING_TABLE);
    this.tables = {
      registry: this.table('Registry', TABLES.registry),
      nonces: this.table('Nonces', TABLES.nonces),
      counters: this.table('Counters', TABLES.counters),
      ledger: this.table('Ledger', TABLES.ledger, ledgerDenyPolicy()),
    };
  }

  private table(id: string, definition: TableDefinition, resourcePolicy?: PolicyDocument): Table {
    const table = new Table(this, id, {
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey === undefined ? {} : { sortKey: attribute(definition.sortKey) }),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS-managed key (aws/dynamodb) shows every use in CloudTrail, at no key charge.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(definition.ttlAttribute === undefined ? {} : { timeToLiveAttribute: definition.ttlAttribute }),
      ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
    });
    for (const index of definition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }
}
