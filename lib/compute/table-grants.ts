/**
 * DynamoDB permissions by purpose, naming each table and each index it uses: no `dynamodb:*`, no `index/*`, and
 * only the operations the stores actually issue (src/adapters/aws/dynamo: Get, BatchGet, Query, Put, Update; no
 * Delete, no BatchWrite, no Scan).
 */

import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';

export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
] as const;
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
/** The ledger: conditional PutItem to append, Query/GetItem to read and verify the chain. */
export const LEDGER_APPEND_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:DescribeTable',
] as const;

export type TableAccess = 'read' | 'read-write' | 'append';

const ACTIONS: Record<TableAccess, readonly string[]> = {
  read: TABLE_READ_ACTIONS,
  'read-write': [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
  append: LEDGER_APPEND_ACTIONS,
};

export function grantTable(grantee: IGrantable, table: ITable, access: TableAccess, indexNames: string[] = []): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...ACTIONS[access]],
      resources: [table.tableArn, ...indexNames.map((name) => `${table.tableArn}/index/${name}`)],
    }),
  );
}
