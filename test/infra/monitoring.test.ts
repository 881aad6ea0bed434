/**
 * The behavioural pipeline on AWS (docs/behavior.md, "Pipeline"): the consumer's Kinesis event source mapping, the
 * webhook path (bus rule → queue → dispatcher, with its DLQ), the monitoring table, least-privilege grants, and the
 * dashboard widgets and alarms.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { asArray, buildTestApp, policyStatements } from './app-fixture.js';

const { stateful, stateless } = buildTestApp();

const logicalId = (template: typeof stateless, type: string, fragment: string) =>
  Object.keys(template.findResources(type)).find((id) => id.includes(fragment));

describe('action consumer', () => {
  it('reads the stream with a batching window, bisection, reported item failures and an SQS on-failure destination', () => {
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stateless, 'AWS::Lambda::Function', 'ActionConsumer') },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 21_600,
      ParallelizationFactor: 4,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});

describe('webhook delivery', () => {
  it('routes every kakunin event from the bus to the webhook queue, with a DLQ for the rule target', () => {
    stateful.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['kakunin'] },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  it('feeds the dispatcher from the queue with reported item failures; the queue redrives to a DLQ', () => {
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stateless, 'AWS::Lambda::Function', 'WebhookDispatcher') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    stateful.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 180,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
      SqsManagedSseEnabled: true,
    });
    const queues = stateful.findResources('AWS::SQS::Queue');
    for (const queue of Object.values(queues)) expect(queue).toMatchObject({ DeletionPolicy: 'Retain' });
  });
});

describe('monitoring table and grants', () => {
  it('is on demand with PITR and TTL on expiresAt', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
  });

  const statements = policyStatements(stateless);
  const actionsOn = (fn: string, fragment: string) =>
    statements
      .filter((s) => s.logicalId.startsWith(fn) && JSON.stringify(s.statement.Resource).includes(fragment))
      .flatMap((s) => asArray(s.statement.Action).map(String))
      .sort();

  it('lets the verifier only BatchGetItem the monitoring table (risk, in the state read); only routes and dispatcher delete', () => {
    expect(actionsOn('Verify', 'TablesMonitoring')).toEqual(['dynamodb:BatchGetItem']);
    expect(actionsOn('ActionConsumer', 'TablesMonitoring')).not.toContain('dynamodb:DeleteItem');
    expect(actionsOn('Monitoring', 'TablesMonitoring')).toContain('dynamodb:DeleteItem');
    expect(actionsOn('WebhookDispatcher', 'TablesMonitoring')).toContain('dynamodb:DeleteItem');
    expect(actionsOn('WebhookDispatcher', 'TablesRegistry')).toEqual([]);
  });
});

describe('dashboard and alarms', () => {
  const dashboards = Object.values(stateless.findResources('AWS::CloudWatch::Dashboard'));
  const body = JSON.stringify(dashboards.map((d) => d.Properties.DashboardBody));

  it.each([
    'Risk bands',
    'Pre-revocation warnings and auto-revocations',
    'Action consumer iterator age',
    'Webhook failures',
    'DLQ depth',
  ])('has the %s widget', (title) => {
    expect(body).toContain(title);
  });

  it('alarms on consumer lag, dead-lettered webhooks, poison records and the pipeline DLQs', () => {
    const alarms = Object.values(stateless.findResources('AWS::CloudWatch::Alarm')).map((a) =>
      String(a.Properties.AlarmDescription),
    );
    for (const fragment of [
      'lags the stream',
      'dead letter',
      'cannot decode',
      'Webhook dead-letter',
      'ConsumerFailures',
    ]) {
      expect(
        alarms.some((d) => d.includes(fragment)),
        fragment,
      ).toBe(true);
    }
  });
});
