/**
 * DynamoDB permissions by purpose, naming each table and each index it uses: no `dynamodb:*`, no `index/*`, and
 * only the operations the stores actually issue (src/adapters/aws/dynamo: Get, BatchGet, Query, Put, Update; Delete
 * only on the monitoring table (webhooks); no BatchWrite, no Scan, no transactions, no DescribeTable at run time).
 */

import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';

export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
/** The ledger: conditional PutItem to append, Query/GetItem to read and verify the chain. */
export const LEDGER_APPEND_ACTIONS = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'] as const;

/**
 * - `lookup`: GetItem only (the authorizer reads one API-key item by its hash);
 * - `batch-lookup`: BatchGetItem only (the verifier reads each agent's risk score inside its one state read);
 * - `claim`: PutItem only (a nonce claim is one conditional PutItem, nothing reads the table);
 * - `count`: UpdateItem and a consistent GetItem (velocity counters).
 */
export type TableAccess =
  | 'read'
  | 'read-write'
  | 'read-write-delete'
  | 'append'
  | 'lookup'
  | 'batch-lookup'
  | 'claim'
  | 'count';

export const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  read: TABLE_READ_ACTIONS,
  'read-write': [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
  /** The monitoring table only: webhooks are deleted, dead letters removed once replayed. */
  'read-write-delete': [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS, 'dynamodb:DeleteItem'],
  append: LEDGER_APPEND_ACTIONS,
  lookup: ['dynamodb:GetItem'],
  'batch-lookup': ['dynamodb:BatchGetItem'],
  claim: ['dynamodb:PutItem'],
  count: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
};

export function grantTable(grantee: IGrantable, table: ITable, access: TableAccess, indexNames: string[] = []): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...TABLE_ACTIONS[access]],
      resources: [table.tableArn, ...indexNames.map((name) => `${table.tableArn}/index/${name}`)],
    }),
  );
}
