/**
 * Code and wiring: the functions, the REST API, the bootstrap custom resource and the dashboard. Holds no data, so
 * it can be destroyed and redeployed freely; everything it touches comes from the stateful stack.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CHECKPOINT_TENANTS_ENV } from '../src/app/checkpoint-tenants.js';
import { ENV } from '../src/app/config.js';
import { KakuninApi, STAGE_NAME } from './api/kakunin-api.js';
import type { RouteGroup } from './api/routes.js';
import { BootstrapResource, deadLetterQueue } from './bootstrap/bootstrap-resource.js';
import type { FunctionEntry } from './compute/bundling-options.js';
import { acknowledgeCrlPublication, allowCrlPublication } from './compute/crl-grants.js';
import { KakuninFunction, type KakuninFunctionProps } from './compute/kakunin-function.js';
import {
  allowCreateTaggedKeys,
  allowDeletingTaggedKeys,
  allowSignWithCheckpointKey,
  allowSignWithRootKey,
  allowSignWithTaggedKeys,
  denyRetaggingRootKey,
} from './compute/kms-grants.js';
import { grantTable } from './compute/table-grants.js';
import type { KakuninConfig } from './config.js';
import { DISPATCHER_TIMEOUT_SECONDS } from './data/monitoring-queues.js';
import { indexNamesOf } from './data/tables.js';
import { acknowledgeFunctionFindings } from './nag-acknowledgements.js';
import { Observability } from './observability/observability.js';
import type { StatefulResources } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  config: KakuninConfig;
  stateful: StatefulResources;
}

/** The audit function writes one object per checkpoint and tile, under the ledger's own prefix of the bucket. */
const AUDIT_FINDINGS = [
  {
    id: 'AwsSolutions-IAM5[Resource::Kakunin-Stateful:ExportsOutputFnGetAttArtifactsBucket88671897Arn65502B7F/log/*]',
    reason:
      'Checkpoint notes and tlog tiles are one object per tree size and tile under log/<tenant>/; PutObject and ' +
      'GetObject only, on the Object Lock (COMPLIANCE) bucket, so nothing written can be changed or deleted.',
  },
];

/** Environment variables of the bootstrap functions, besides src/app/config.ts `ENV`. */
export const BOOTSTRAP_ENV = { rootKeyArn: 'KAKUNIN_ROOT_CA_KEY_ARN', tenantId: 'KAKUNIN_BOOTSTRAP_TENANT' } as const;

export class KakuninStatelessStack extends Stack {
  readonly api: KakuninApi;
  readonly functions: Record<
    RouteGroup | 'authorizer' | 'bootstrap' | 'adminKey' | 'crlRefresh' | 'checkpoint' | 'consumer' | 'dispatcher',
    KakuninFunction
  >;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const { tables } = stateful;
    const logRetention = config.retention.logDays as RetentionDays;
    const environment: Record<string, string> = {
      [ENV.registryTable]: tables.registry.tableName,
      [ENV.noncesTable]: tables.nonces.tableName,
      [ENV.countersTable]: tables.counters.tableName,
      [ENV.ledgerTable]: tables.ledger.tableName,
      [ENV.actionStream]: stateful.actionStream.streamName,
      [ENV.eventBus]: stateful.eventBus.eventBusName,
      [ENV.artifactBucket]: stateful.artifactBucket.bucketName,
      [ENV.timestampWindowSeconds]: String(config.timestampWindowSeconds),
      [ENV.monitoringTable]: stateful.monitoringTable.tableName,
      [ENV.webhookQueueUrl]: stateful.monitoringQueues.webhookQueue.queueUrl,
      ...(config.scopeOid === undefined ? {} : { [ENV.scopeOid]: config.scopeOid }),
    };
    const make = (id: string, entry: FunctionEntry, extra: Partial<KakuninFunctionProps> = {}) =>
      new KakuninFunction(this, id, { entry, environment, serviceName: `kakunin-${entry}`, logRetention, ...extra });

    const bootstrapEnv = {
      ...environment,
      [BOOTSTRAP_ENV.rootKeyArn]: stateful.rootCaKey.keyArn,
      [BOOTSTRAP_ENV.tenantId]: config.bootstrapTenantId,
    };
    const bootstrapDlq = deadLetterQueue(this, 'BootstrapDlq');
    this.functions = {
      authorizer: make('Authorizer', 'authorizer', { memorySize: 512 }),
      public: make('Public', 'public'),
      agents: make('Agents', 'agents'),
      certificates: make('Certificates', 'certificates'),
      verify: make('Verify', 'verify'),
      monitoring: make('Monitoring', 'monitoring'),
      consumer: make('ActionConsumer', 'consumer', { timeout: Duration.seconds(60) }),
      dispatcher: make('WebhookDispatcher', 'dispatcher', { timeout: Duration.seconds(DISPATCHER_TIMEOUT_SECONDS) }),
      audit: make('Audit', 'audit', {
        environment: { ...environment, [ENV.checkpointKeyId]: stateful.checkpointKey.keyArn },
        timeout: Duration.minutes(1),
      }),
      checkpoint: make('Checkpoint', 'checkpoint', {
        environment: {
          ...environment,
          [ENV.checkpointKeyId]: stateful.checkpointKey.keyArn,
          [CHECKPOINT_TENANTS_ENV]: config.bootstrapTenantId,
        },
        timeout: Duration.minutes(5),
        reservedConcurrency: 1,
      }),
      bootstrap: make('BootstrapFunction', 'bootstrap', {
        environment: bootstrapEnv,
        timeout: Duration.minutes(2),
        deadLetterQueue: bootstrapDlq,
      }),
      adminKey: make('AdminKeyIssuer', 'bootstrap', {
        handler: 'issueAdminKey',
        environment: bootstrapEnv,
        timeout: Duration.seconds(30),
        reservedConcurrency: 1,
      }),
      // Hourly: keeps every published CRL fresh (half its 24 h validity at most) without a request paying a Sign.
      crlRefresh: make('CrlRefresh', 'public', {
        handler: 'refreshCrls',
        timeout: Duration.minutes(5),
        reservedConcurrency: 1,
      }),
    };
    new Rule(this, 'CrlRefreshSchedule', {
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(this.functions.crlRefresh.function, { retryAttempts: 2 })],
    });
    this.grant(stateful);
    this.connectPipeline(stateful);

    this.api = new KakuninApi(this, 'Api', {
      handlers: {
        public: this.functions.public.function,
        agents: this.functions.agents.function,
        certificates: this.functions.certificates.function,
        verify: this.functions.verify.function,
        monitoring: this.functions.monitoring.function,
        audit: this.functions.audit.function,
      },
      authorizer: this.functions.authorizer.function,
      ...config.api,
      logRetention,
    });
    // Built from the API id, not `api.url`: that references the stage, which depends on the methods, which depend on
    // the functions (a cycle).
    const publicBaseUrl =
      config.publicBaseUrl ??
      `https://${this.api.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${STAGE_NAME}`;
    for (const f of Object.values(this.functions)) f.function.addEnvironment(ENV.publicBaseUrl, publicBaseUrl);

    new BootstrapResource(this, 'FirstDeployBootstrap', {
      bootstrapFunction: this.functions.bootstrap,
      rootKeyArn: stateful.rootCaKey.keyArn,
      tenantId: config.bootstrapTenantId,
      logRetention,
    });

    this.observability = new Observability(this, 'Observability', {
      thresholds: config.alarms,
      ...(config.alarms.email === undefined ? {} : { alarmEmail: config.alarms.email }),
    });
    this.observability.monitorApi(this.api.api, this.api.routes);
    this.observability.monitorDomain();
    this.observability.monitorLedger();
    this.observability.monitorFunctions(
      Object.fromEntries(
        Object.entries(this.functions).map(([name, f]) => [name, { fn: f.function, logGroup: f.logGroup }]),
      ),
    );
    this.observability.monitorTables(tables);
    this.observability.monitorStream(stateful.actionStream);
    this.observability.monitorDeadLetterQueues({ Bootstrap: bootstrapDlq });
    this.observability.monitorBehavior({
      consumer: this.functions.consumer.function,
      deadLetterQueues: {
        Webhook: stateful.monitoringQueues.webhookDlq,
        ConsumerFailures: stateful.monitoringQueues.consumerFailures,
      },
    });

    for (const [name, f] of Object.entries(this.functions)) {
      acknowledgeFunctionFindings(f, name === 'audit' || name === 'checkpoint' ? AUDIT_FINDINGS : []);
    }

    new CfnOutput(this, 'ApiUrl', { value: publicBaseUrl, description: 'Base URL of the Kakunin API' });
    new CfnOutput(this, 'AdminKeyIssuerFunction', {
      value: this.functions.adminKey.function.functionName,
      description: 'aws lambda invoke this to mint an admin API key (docs/deploy.md)',
    });
    new CfnOutput(this, 'EventBusName', { value: stateful.eventBus.eventBusName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.alarmTopic.topicArn });
  }

  /**
   * The behavioural pipeline's triggers (docs/behavior.md, "Pipeline"): the action stream feeds the consumer
   * (partition key = agent id, so one agent's actions arrive in order on one shard), and the webhook queue feeds the
   * dispatcher. A failing record is bisected out of its batch, retried, and then reported to the on-failure queue;
   * reported item failures mean only the records from the failed one on are retried.
   */
  private connectPipeline(stateful: StatefulResources): void {
    const f = this.functions;
    f.consumer.function.addEventSource(
      new KinesisEventSource(stateful.actionStream, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(6),
        parallelizationFactor: 4,
        onFailure: new SqsDlq(stateful.monitoringQueues.consumerFailures),
      }),
    );
    f.dispatcher.function.addEventSource(
      new SqsEventSource(stateful.monitoringQueues.webhookQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );
  }

  /** Least privilege per function: each gets exactly the tables, keys and channels its routes use. */
  private grant(stateful: StatefulResources): void {
    const { tables, rootCaKey } = stateful;
    const f = this.functions;
    const registry = (fn: KakuninFunction, access: 'read' | 'read-write') =>
      grantTable(fn.function, tables.registry, access, indexNamesOf('registry'));

    grantTable(f.authorizer.function, tables.registry, 'lookup'); // one API-key item by hash: GetItem, no index

    // Chain and CRL; the CRL number and revision are counter items in the registry, the issuing CA signs the CRL, and
    // the CRL is published under crl/ in the artifact bucket (the certificates function republishes on revocation).
    for (const fn of [f.public, f.crlRefresh]) {
      registry(fn, 'read-write');
      allowSignWithTaggedKeys(fn.function, ['issuing-ca'], this);
    }
    for (const fn of [f.public, f.certificates, f.crlRefresh]) {
      allowCrlPublication(fn, stateful.artifactBucket);
      // cdk-nag names the prefix by the cross-stack export of the bucket ARN.
      acknowledgeCrlPublication(
        fn,
        'AwsSolutions-IAM5[Resource::Kakunin-Stateful:ExportsOutputFnGetAttArtifactsBucket88671897Arn65502B7F/crl/*]',
      );
    }

    for (const fn of [f.agents, f.certificates, f.verify, f.bootstrap, f.adminKey]) {
      grantTable(fn.function, tables.ledger, 'append');
    }
    for (const fn of [f.agents, f.certificates, f.bootstrap, f.adminKey]) registry(fn, 'read-write');
    // Only the certificates function publishes events (certificate.issued, agent.certificate_revoked).
    stateful.eventBus.grantPutEventsTo(f.certificates.function);

    allowCreateTaggedKeys(f.certificates.function, ['issuing-ca', 'agent'], this);
    allowSignWithTaggedKeys(f.certificates.function, ['issuing-ca', 'agent'], this);
    // A failed issuance schedules the deletion of the agent key it created (never an issuing-CA key).
    allowDeletingTaggedKeys(f.certificates.function, ['agent'], this);

    // Verification reads the registry, claims nonces, counts velocity, appends to the ledger, feeds the stream.
    registry(f.verify, 'read');
    grantTable(f.verify.function, tables.nonces, 'claim');
    grantTable(f.verify.function, tables.counters, 'count');
    stateful.actionStream.grantWrite(f.verify.function);

    // The root key signs issuing-CA certificates only: the bootstrap functions create the bootstrap tenant's, the
    // certificates function a later tenant's on its first issuance.
    allowSignWithRootKey(f.certificates.function, rootCaKey);
    for (const fn of [f.bootstrap, f.adminKey]) {
      allowSignWithRootKey(fn.function, rootCaKey);
      allowCreateTaggedKeys(fn.function, ['issuing-ca'], this);
      allowSignWithTaggedKeys(fn.function, ['issuing-ca'], this);
    }
    for (const fn of [f.certificates, f.bootstrap, f.adminKey]) denyRetaggingRootKey(fn.function, rootCaKey);

    // Behavioural monitoring. The verifier reads an agent's risk (one GetItem); the consumer keeps per-agent state,
    // revokes (a registry write), audits and announces; the routes read state, lock baselines and manage webhooks;
    // the dispatcher reads subscriptions, keeps dead letters and queues retries.
    const monitoringTable = stateful.monitoringTable;
    grantTable(f.verify.function, monitoringTable, 'batch-lookup'); // the risk score, inside the state read
    grantTable(f.consumer.function, monitoringTable, 'read-write');
    registry(f.consumer, 'read-write');
    grantTable(f.consumer.function, tables.ledger, 'append');
    stateful.eventBus.grantPutEventsTo(f.consumer.function);
    grantTable(f.monitoring.function, monitoringTable, 'read-write-delete');
    registry(f.monitoring, 'read');
    grantTable(f.monitoring.function, tables.ledger, 'append');
    grantTable(f.dispatcher.function, monitoringTable, 'read-write-delete');
    stateful.monitoringQueues.webhookQueue.grantSendMessages(f.dispatcher.function);
    // Audit routes: read the ledger, put checkpoint items (put-only, like entries), sign checkpoints with the one
    // Ed25519 key (its ARN and its purpose tag both required), archive tiles and notes, announce checkpoints.
    for (const fn of [f.audit, f.checkpoint]) this.grantCheckpointing(fn, stateful);

    // Every minute: checkpoint each tenant's newest entries after re-checking them (the auditor), tiles and note to
    // the Object Lock bucket, the event on the bus (docs/api.md §7).
    new Rule(this, 'CheckpointSchedule', {
      description: 'Kakunin ledger checkpoint and audit, every minute',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(f.checkpoint.function, { retryAttempts: 0 })],
    });
  }

  /** Read the ledger, put checkpoint items, sign with the checkpoint key, archive under log/, announce. */
  private grantCheckpointing(fn: KakuninFunction, stateful: StatefulResources): void {
    grantTable(fn.function, stateful.tables.ledger, 'append');
    allowSignWithCheckpointKey(fn.function, stateful.checkpointKey);
    fn.function.addToRolePolicy(
      new PolicyStatement({
        sid: 'ArchiveLedgerCheckpointsAndTiles',
        // Put and Get only: Object Lock keeps every version; nothing here may delete or change retention.
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [stateful.artifactBucket.arnForObjects('log/*')],
      }),
    );
    stateful.eventBus.grantPutEventsTo(fn.function);
  }
}
