/**
 * First-deploy bootstrap: a custom resource whose function (functions/bootstrap.ts `handler`) creates the root CA
 * certificate with the stack's root key and the bootstrap tenant's issuing CA. Both steps are idempotent, so updates
 * and retries are harmless; deletion leaves everything in place (the CA material is retained data).
 * CloudFormation invokes the function asynchronously, so failed invocations land in a dead-letter queue.
 */
import { CustomResource, Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { KakuninFunction } from '../compute/kakunin-function.js';

export interface BootstrapResourceProps {
  bootstrapFunction: KakuninFunction;
  rootKeyArn: string;
  tenantId: string;
}

/** Bump to make CloudFormation run the bootstrap again on the next deploy (it is idempotent). */
export const BOOTSTRAP_REVISION = '1';

export class BootstrapResource extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: BootstrapResourceProps) {
    super(scope, id);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: props.bootstrapFunction.function.functionArn,
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
