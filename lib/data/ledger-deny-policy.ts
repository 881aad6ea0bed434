/**
 * The ledger's resource policy: no principal, not even an account administrator acting through the API, may change
 * or remove an audit entry or the table (docs/api.md §7: "no route, role or code path updates or deletes one").
 * An explicit Deny in a resource policy beats every Allow in IAM. Only PutItem (conditional append) and reads remain.
 * Removing the policy itself needs dynamodb:DeleteResourcePolicy, which CloudTrail records.
 */
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';

export const LEDGER_DENIED_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:DeleteTable',
  // TTL deletions are made by the service itself, so they would bypass the DeleteItem deny: TTL can never be enabled.
  'dynamodb:UpdateTimeToLive',
] as const;

export function ledgerDenyPolicy(): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'LedgerIsAppendOnly',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...LEDGER_DENIED_ACTIONS],
        // A table's resource policy cannot name the table's own ARN (circular); '*' means "this table" here.
        resources: ['*'],
      }),
    ],
  });
}
