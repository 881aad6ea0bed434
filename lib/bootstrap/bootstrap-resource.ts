/**
 * First-deploy bootstrap: a custom resource whose function (functions/bootstrap.ts `handler`) creates the root CA
 * certificate with the stack's root key and the bootstrap tenant's issuing CA. Both steps are idempotent, so updates
 * and retries are harmless; deletion leaves everything in place (the CA material is retained data).
 * The CDK custom-resource provider framework sits between CloudFormation and the function: it answers CloudFormation
 * on every outcome (success, a thrown error, a crash or a timeout of the function), so a stack never hangs waiting for
 * a response a crashed function never sent.
 */
import { CustomResource, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { KakuninFunction } from '../compute/kakunin-function.js';

export interface BootstrapResourceProps {
  bootstrapFunction: KakuninFunction;
  rootKeyArn: string;
  tenantId: string;
  logRetention: RetentionDays;
}

/** Bump to make CloudFormation run the bootstrap again on the next deploy (it is idempotent). */
export const BOOTSTRAP_REVISION = '1';

export class BootstrapResource extends Construct {
  readonly resource: CustomResource;
  readonly provider: Provider;

  constructor(scope: Construct, id: string, props: BootstrapResourceProps) {
    super(scope, id);
    this.provider = new Provider(this, 'Provider', {
      onEventHandler: props.bootstrapFunction.function,
      logGroup: new LogGroup(this, 'ProviderLogs', {
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    });
    Validations.of(this.provider).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'The CDK provider framework function uses the AWS-managed basic execution policy for its own logs only.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::<BootstrapFunction95D8F7DA.Arn>:*]',
        reason:
          'The provider framework may invoke the bootstrap function and its versions (function ARN and ARN:*), ' +
          'which CDK grants itself; nothing else is reachable through it.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'The provider framework function runtime is chosen and maintained by aws-cdk-lib; it runs only at deploy time.',
      },
    );
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::KakuninBootstrap',
      properties: { RootKeyArn: props.rootKeyArn, TenantId: props.tenantId, Revision: BOOTSTRAP_REVISION },
    });
    // Run only once the function's IAM policy exists, or the first KMS call is denied.
    this.resource.node.addDependency(props.bootstrapFunction);
  }
}

/** A dead-letter queue for asynchronously invoked work: encrypted, TLS-only, 14 days to inspect and redrive. */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself a dead-letter queue (of a Lambda function); a DLQ of a DLQ would only move the problem.',
  });
  return queue;
}
