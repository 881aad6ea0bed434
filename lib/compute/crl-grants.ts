/**
 * Access to published CRLs in the artifact bucket: read and write objects under `crl/` and list that prefix, nothing
 * else (no delete, no other prefix: the ledger checkpoints beside them stay out of reach).
 */
import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { KakuninFunction } from './kakunin-function.js';

export const CRL_PREFIX = 'crl/';

export function allowCrlPublication(fn: KakuninFunction, bucket: IBucket): void {
  fn.function.addToRolePolicy(
    new PolicyStatement({
      sid: 'ReadWritePublishedCrls',
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects(`${CRL_PREFIX}*`)],
    }),
  );
  fn.function.addToRolePolicy(
    new PolicyStatement({
      sid: 'ListPublishedCrls',
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${CRL_PREFIX}*`] } },
    }),
  );
}

/** cdk-nag reads `crl/*` as a wildcard resource; it is the one prefix CRLs live under, one object per tenant. */
export function acknowledgeCrlPublication(fn: KakuninFunction, findingId: string): void {
  Validations.of(fn).acknowledge({
    id: findingId,
    reason:
      'Published CRLs are one object per tenant under crl/ in the artifact bucket, and tenants are created at run ' +
      'time; the grant is GetObject/PutObject on that prefix only (no delete, no other prefix).',
  });
}
