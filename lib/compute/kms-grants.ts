/**
 * Tag-scoped KMS permissions. Issuing-CA and agent keys are created at run time by the service, so their ARNs are
 * unknown at deploy time; access is scoped by the tags the key vault sets at creation
 * (src/adapters/aws/kms-key-vault.ts `KMS_TAG_KEYS`). No `kms:*` and no untagged key is ever reachable.
 */
import type { Stack } from 'aws-cdk-lib';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';

export const KMS_TAGS = { tenant: 'kakunin:tenant', purpose: 'kakunin:purpose', agent: 'kakunin:agent' } as const;
export type RuntimeKeyPurpose = 'issuing-ca' | 'agent';

/** Key specs the service may create (docs/api.md §3 for agents; issuing CAs use ECC P-256 or RSA). */
export const CREATABLE_KEY_SPECS = ['ECC_NIST_P256', 'RSA_2048', 'RSA_4096'] as const;

function keyArnPattern(stack: Stack): string {
  return stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
}

/**
 * kms:CreateKey and kms:TagResource, only for SIGN_VERIFY keys of an allowed spec that are tagged at creation with
 * an allowed purpose and a tenant, and with no tag keys outside Kakunin's three.
 */
export function allowCreateTaggedKeys(grantee: IGrantable, purposes: RuntimeKeyPurpose[], stack: Stack): void {
  const requestTagConditions = {
    StringEquals: { [`aws:RequestTag/${KMS_TAGS.purpose}`]: purposes },
    'ForAllValues:StringEquals': { 'aws:TagKeys': Object.values(KMS_TAGS) },
    Null: { [`aws:RequestTag/${KMS_TAGS.tenant}`]: 'false' },
  };
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'CreateTaggedSigningKeys',
      actions: ['kms:CreateKey'],
      // CreateKey has no resource ARN until the key exists; IAM requires '*' here and the conditions do the scoping.
      resources: ['*'],
      conditions: {
        ...requestTagConditions,
        StringEquals: {
          ...requestTagConditions.StringEquals,
          'kms:KeyUsage': 'SIGN_VERIFY',
          'kms:KeySpec': [...CREATABLE_KEY_SPECS],
        },
      },
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'TagKeysAtCreation',
      actions: ['kms:TagResource'],
      resources: [keyArnPattern(stack)],
      conditions: requestTagConditions,
    }),
  );
}

/** kms:Sign and kms:GetPublicKey on runtime keys whose purpose tag is one of `purposes`. */
export function allowSignWithTaggedKeys(grantee: IGrantable, purposes: RuntimeKeyPurpose[], stack: Stack): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'SignWithTaggedRuntimeKeys',
      actions: ['kms:Sign', 'kms:GetPublicKey'],
      resources: [keyArnPattern(stack)],
      conditions: { StringEquals: { [`aws:ResourceTag/${KMS_TAGS.purpose}`]: purposes } },
    }),
  );
}

/**
 * kms:ScheduleKeyDeletion on runtime keys whose purpose tag is one of `purposes`: an issuance that fails after
 * creating its key schedules that key's deletion. Never the root key (no tag; and the explicit deny below).
 */
export function allowDeletingTaggedKeys(grantee: IGrantable, purposes: RuntimeKeyPurpose[], stack: Stack): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ScheduleDeletionOfTaggedRuntimeKeys',
      actions: ['kms:ScheduleKeyDeletion'],
      resources: [keyArnPattern(stack)],
      conditions: { StringEquals: { [`aws:ResourceTag/${KMS_TAGS.purpose}`]: purposes } },
    }),
  );
}

/** kms:Sign and kms:GetPublicKey on the deployment's root CA key, by ARN. */
export function allowSignWithRootKey(grantee: IGrantable, rootKey: IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'SignWithRootCaKey',
      actions: ['kms:Sign', 'kms:GetPublicKey'],
      resources: [rootKey.keyArn],
    }),
  );
}

/** kms:Sign and kms:GetPublicKey on the checkpoint key only, and only while it carries the checkpoint purpose tag. */
export function allowSignWithCheckpointKey(grantee: IGrantable, checkpointKey: IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'SignWithCheckpointKey',
      actions: ['kms:Sign', 'kms:GetPublicKey'],
      resources: [checkpointKey.keyArn],
      conditions: { StringEquals: { [`aws:ResourceTag/${KMS_TAGS.purpose}`]: 'checkpoint' } },
    }),
  );
}

/**
 * `kms:TagResource` is granted on `key/*` (a key being created has no ARN yet), so without this a role allowed to tag
 * could give the ROOT key an `issuing-ca` purpose tag and thereby reach it through the tag-scoped Sign grants (the
 * public function's included). An explicit Deny on the root key's ARN closes that path; nothing ever tags it at run
 * time.
 */
export function denyRetaggingRootKey(grantee: IGrantable, rootKey: IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'NeverRetagRootCaKey',
      effect: Effect.DENY,
      actions: ['kms:TagResource', 'kms:UntagResource'],
      resources: [rootKey.keyArn],
    }),
  );
}
