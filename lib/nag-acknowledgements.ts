/**
 * cdk-nag (AwsSolutions) findings that are accepted by design, each with its reason. Acknowledged per construct, never
 * for a whole stack, so a new finding anywhere else still fails the check (test/infra/nag.test.ts).
 */
import { Validations } from 'aws-cdk-lib';
import type { KakuninFunction } from './compute/kakunin-function.js';

const FUNCTION_FINDINGS: { id: string; reason: string }[] = [
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The AWS-managed basic execution policy only lets the function write its own CloudWatch logs.',
  },
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray PutTraceSegments/PutTelemetryRecords have no resource ARNs; kms:CreateKey has none until the key ' +
      'exists and is constrained by aws:RequestTag, kms:KeySpec and kms:KeyUsage conditions instead.',
  },
  {
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]',
    reason:
      'Issuing-CA and agent keys are created at run time, so their ARNs are unknown at deploy time; every ' +
      'statement on key/* is conditioned on the kakunin:purpose tag (aws:ResourceTag or aws:RequestTag).',
  },
  {
    id: 'AwsSolutions-L1',
    reason: 'nodejs22.x is the chosen runtime (issue 5); dependencies must also run on the local Node 20.',
  },
];

export function acknowledgeFunctionFindings(fn: KakuninFunction, extra: { id: string; reason: string }[] = []): void {
  Validations.of(fn).acknowledge(...FUNCTION_FINDINGS, ...extra);
}
