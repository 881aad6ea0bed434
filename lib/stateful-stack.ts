/**
 * Everything that holds state or identity: the root CA key, the tables, the artifact bucket, the stream and the bus.
 * Termination-protected and retained, apart from the stateless stack so a broken deploy of code can never touch data
 * (AWS CDK best practices: separate stateful from stateless).
 */
import { RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import type { Stream } from 'aws-cdk-lib/aws-kinesis';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { KakuninConfig } from './config.js';
import { ArtifactBucket } from './data/artifact-bucket.js';
import { EventPlumbing } from './data/event-plumbing.js';
import { KakuninTables, type TableName } from './data/tables.js';

export interface StatefulStackProps extends StackProps {
  config: KakuninConfig;
}

/** What the stateless stack needs from this one. */
export interface StatefulResources {
  rootCaKey: Key;
  checkpointKey: Key;
  tables: Record<TableName, Table>;
  artifactBucket: Bucket;
  actionStream: Stream;
  eventBus: EventBus;
}

export class KakuninStatefulStack extends Stack implements StatefulResources {
  readonly rootCaKey: Key;
  readonly checkpointKey: Key;
  readonly tables: Record<TableName, Table>;
  readonly artifactBucket: Bucket;
  readonly actionStream: Stream;
  readonly eventBus: EventBus;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const { config } = props;

    // The deployment's trust anchor. Asymmetric keys cannot rotate; a new root means a new key and a new chain.
    this.rootCaKey = new Key(this, 'RootCaKey', {
      description: 'Kakunin root CA signing key (RSA 4096); the private key never leaves KMS',
      keySpec: KeySpec.RSA_4096,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Tags.of(this.rootCaKey).add('kakunin:purpose', 'root-ca');

    // Signs the audit ledger's checkpoints (C2SP signed-note, Ed25519: docs/api.md §7). One per deployment; each
    // tenant's log signs under its own key name (the origin), so a verifier key names exactly one log.
    this.checkpointKey = new Key(this, 'CheckpointKey', {
      description: 'Kakunin audit ledger checkpoint signing key (Ed25519); the private key never leaves KMS',
      keySpec: KeySpec.ECC_NIST_EDWARDS25519,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Tags.of(this.checkpointKey).add('kakunin:purpose', 'checkpoint');

    this.tables = new KakuninTables(this, 'Tables').tables;
    this.artifactBucket = new ArtifactBucket(this, 'Artifacts', {
      retentionDays: config.retention.artifactDays,
      accessLogDays: config.retention.logDays,
    }).bucket;
    const plumbing = new EventPlumbing(this, 'Events', {
      streamCapacity: config.streamCapacity,
      streamRetentionHours: config.retention.streamHours,
      archiveRetentionDays: config.retention.eventArchiveDays,
    });
    this.actionStream = plumbing.stream;
    this.eventBus = plumbing.bus;
  }
}
