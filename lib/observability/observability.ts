/**
 * The deployment's CloudWatch dashboard and alarms. Everything that should be watched registers here through
 * `monitor*` and `addWidgets`/`addAlarm`, so later work (behavioural monitoring, checkpoints, webhooks) adds its
 * widgets and alarms to the same dashboard and the same on-call topic.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  HorizontalAnnotation,
  type IMetric,
  type IWidget,
  LogQueryWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, METRICS } from './metric-names.js';

export interface ObservabilityThresholds {
  apiP99LatencyMs: number;
  api5xxPerFiveMinutes: number;
  lambdaErrorsPerFiveMinutes: number;
  kmsSignQuotaPerSecond: number;
}

export interface ObservabilityProps {
  thresholds: ObservabilityThresholds;
  alarmEmail?: string;
}

const PERIOD = Duration.minutes(5);
/** Every series of a custom metric, whatever its dimensions; `label` names them when there is one series. */
const search = (metricName: string, stat: string, label?: string) =>
  new MathExpression({
    expression: `SEARCH('Namespace="${METRIC_NAMESPACE}" MetricName="${metricName}"', '${stat}', 300)`,
    ...(label === undefined ? {} : { label }),
    period: PERIOD,
  });

export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly thresholds: ObservabilityThresholds;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.thresholds = props.thresholds;
    this.alarmTopic = new Topic(this, 'AlarmTopic', { displayName: 'Kakunin alarms', enforceSSL: true });
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and states only; CloudWatch cannot publish to a topic encrypted with ' +
        'the AWS-managed SNS key, and a dedicated CMK costs more than the data is worth protecting.',
    });
    if (props.alarmEmail !== undefined) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-overview`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: '# Kakunin\nAPI, verification outcomes, issuance, revocations, dependencies.',
        width: 24,
        height: 1,
      }),
    );
  }

  addWidgets(...widgets: IWidget[]): void {
    this.dashboard.addWidgets(...widgets);
  }

  /** Registers an alarm and routes it to the on-call topic. */
  addAlarm(alarm: Alarm): Alarm {
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    alarm.addOkAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
    return alarm;
  }

  private threshold(id: string, metric: IMetric, threshold: number, description: string, evaluationPeriods = 1) {
    return this.addAlarm(
      new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }),
    );
  }

  /** API latency p50/p99 and 4xx/5xx per route; alarms on overall 5xx and p99. */
  monitorApi(api: RestApi, routes: readonly { method: string; path: string }[]): void {
    const perRoute = (metricName: string, statistic: string) =>
      routes.map(
        (r) =>
          new Metric({
            namespace: 'AWS/ApiGateway',
            metricName,
            statistic,
            period: PERIOD,
            label: `${r.method} ${r.path}`,
            dimensionsMap: {
              ApiName: api.restApiName,
              Stage: api.deploymentStage.stageName,
              Method: r.method,
              Resource: r.path,
            },
          }),
      );
    this.addWidgets(
      new GraphWidget({ title: 'API latency p50 by route (ms)', left: perRoute('Latency', 'p50'), width: 12 }),
      new GraphWidget({ title: 'API latency p99 by route (ms)', left: perRoute('Latency', 'p99'), width: 12 }),
      new GraphWidget({ title: 'API 4xx by route', left: perRoute('4XXError', 'Sum'), width: 12 }),
      new GraphWidget({ title: 'API 5xx by route', left: perRoute('5XXError', 'Sum'), width: 12 }),
    );
    this.threshold(
      'Api5xx',
      api.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      this.thresholds.api5xxPerFiveMinutes,
      'API answered 5xx (503 UNAVAILABLE = a dependency failed).',
    );
    this.threshold(
      'ApiP99Latency',
      api.metricLatency({ period: PERIOD, statistic: 'p99' }),
      this.thresholds.apiP99LatencyMs,
      'API p99 latency above threshold for 15 minutes.',
      3,
    );
  }

  /** Verification outcomes, issuance against the KMS quota, revocations, replay rejections, KMS latency. */
  monitorDomain(): void {
    const quota = this.thresholds.kmsSignQuotaPerSecond * 300;
    this.addWidgets(
      new GraphWidget({
        title: 'Verification outcomes by code',
        left: [search(METRICS.verifications, 'Sum')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Issuance against the KMS Sign quota (per 5 min)',
        left: [search(METRICS.certificatesIssued, 'Sum', 'issued')],
        leftAnnotations: [
          { value: quota, label: 'KMS asymmetric Sign quota', color: '#d13212' } satisfies HorizontalAnnotation,
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Revocations and replay rejections',
        left: [
          search(METRICS.certificatesRevoked, 'Sum', 'revoked'),
          search(METRICS.replayRejections, 'Sum', 'replays'),
        ],
        right: [search(METRICS.kmsLatency, 'p99', 'KMS p99 ms')],
        width: 8,
      }),
    );
    // A lost event may mean a consumer never learnt of a revocation: page on the first one.
    this.threshold(
      'EventPublishFailuresAlarm',
      new Metric({
        namespace: METRIC_NAMESPACE,
        metricName: METRICS.eventPublishFailures,
        dimensionsMap: { service: 'kakunin-api' },
        statistic: 'Sum',
        period: PERIOD,
      }),
      1,
      'An event (certificate issued or revoked) was refused by the bus after its effect happened; see the logs.',
    );
    // A verified action missing from the stream is never scored: behavioural monitoring has a blind spot until the
    // stream is back-filled from the ledger's action.verified entries.
    this.threshold(
      'StreamPublishFailuresAlarm',
      new Metric({
        namespace: METRIC_NAMESPACE,
        metricName: METRICS.streamPublishFailures,
        dimensionsMap: { service: 'kakunin-api' },
        statistic: 'Sum',
        period: PERIOD,
      }),
      1,
      'A verified action could not be put on the stream (it stays verified and audited); see the verify logs.',
    );
  }

  /**
   * The audit ledger's scheduled checkpoint-and-audit run: dashboard widgets for the uncovered age and audit failures;
   * alarms on any audit failure, and on entries left uncovered for 10 minutes or a run that reports nothing.
   */
  monitorLedger(): void {
    const metric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: METRIC_NAMESPACE,
        metricName,
        dimensionsMap: { service: 'kakunin-api' },
        statistic,
        period: PERIOD,
      });
    const age = metric(METRICS.checkpointUncoveredAge, 'Maximum');
    const failures = metric(METRICS.ledgerAuditFailures, 'Sum');
    this.addWidgets(
      new GraphWidget({
        title: 'Ledger: oldest entry without a checkpoint (s)',
        left: [age],
        leftAnnotations: [{ value: 600, label: '10 min', color: '#d13212' } satisfies HorizontalAnnotation],
        width: 8,
      }),
      new GraphWidget({ title: 'Ledger audit failures', left: [failures], width: 8 }),
    );
    this.threshold(
      'LedgerAuditFailureAlarm',
      failures,
      1,
      'The checkpoint run found ledger entries that do not re-hash or link, or a stored tree that contradicts a signed checkpoint: run GET /v1/audit/verify.',
    );
    this.addAlarm(
      new Alarm(this, 'CheckpointAgeAlarm', {
        metric: age,
        threshold: 600,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No report at all means the scheduled run is not running: as bad as an old checkpoint.
        treatMissingData: TreatMissingData.BREACHING,
        alarmDescription:
          'Ledger entries have gone more than 10 minutes without a signed checkpoint, or the checkpoint run stopped reporting.',
      }),
    );
  }

  /** Errors, throttles and init duration (cold starts) of each function; alarms on errors and throttles. */
  monitorFunctions(functions: Record<string, { fn: IFunction; logGroup: ILogGroup }>): void {
    const entries = Object.entries(functions);
    this.addWidgets(
      new GraphWidget({
        title: 'Lambda errors',
        left: entries.map(([n, f]) => f.fn.metricErrors({ period: PERIOD, label: n })),
        width: 8,
      }),
      new GraphWidget({
        title: 'Lambda throttles',
        left: entries.map(([n, f]) => f.fn.metricThrottles({ period: PERIOD, label: n })),
        width: 8,
      }),
      new LogQueryWidget({
        title: 'Lambda init duration (cold starts)',
        logGroupNames: entries.map(([, f]) => f.logGroup.logGroupName),
        queryLines: [
          'filter @type = "REPORT" and ispresent(@initDuration)',
          'stats count() as coldStarts, avg(@initDuration) as avgInitMs, max(@initDuration) as maxInitMs by bin(5m)',
        ],
        width: 8,
      }),
    );
    for (const [name, f] of entries) {
      this.threshold(
        `${name}Errors`,
        f.fn.metricErrors({ period: PERIOD }),
        this.thresholds.lambdaErrorsPerFiveMinutes,
        `${name} function errors.`,
      );
      this.threshold(`${name}Throttles`, f.fn.metricThrottles({ period: PERIOD }), 1, `${name} function throttled.`);
    }
  }

  /** DynamoDB throttle events per table; alarm on any. */
  monitorTables(tables: Record<string, ITable>): void {
    const metrics = Object.entries(tables).map(
      ([name, table]) =>
        new MathExpression({
          expression: `r_${name} + w_${name}`,
          label: name,
          period: PERIOD,
          usingMetrics: {
            [`r_${name}`]: table.metric('ReadThrottleEvents', { period: PERIOD, statistic: 'Sum' }),
            [`w_${name}`]: table.metric('WriteThrottleEvents', { period: PERIOD, statistic: 'Sum' }),
          },
        }),
    );
    this.addWidgets(new GraphWidget({ title: 'DynamoDB throttle events', left: metrics, width: 8 }));
    metrics.forEach((metric, i) => {
      this.threshold(`Table${i}Throttles`, metric, 1, `DynamoDB ${metric.label} throttled (sustained 10 min).`, 2);
    });
  }

  /** Kinesis write throttles; alarm on any. */
  monitorStream(stream: IStream): void {
    const throttled = stream.metricPutRecordsThrottledRecords({
      period: PERIOD,
      statistic: 'Sum',
      label: 'PutRecords throttled',
    });
    const exceeded = stream.metricWriteProvisionedThroughputExceeded({
      period: PERIOD,
      statistic: 'Sum',
      label: 'write throughput exceeded',
    });
    this.addWidgets(new GraphWidget({ title: 'Kinesis write throttles', left: [throttled, exceeded], width: 8 }));
    this.threshold(
      'StreamWriteThrottles',
      throttled,
      1,
      'Verified actions are being throttled on the action stream.',
      2,
    );
  }

  /** Dead-letter queue depth; any message is an alarm (work that failed every retry). */
  monitorDeadLetterQueues(queues: Record<string, IQueue>): void {
    const metrics = Object.entries(queues).map(([name, q]) =>
      q.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: name }),
    );
    this.addWidgets(new GraphWidget({ title: 'DLQ depth', left: metrics, width: 8 }));
    Object.entries(queues).forEach(([name], i) => {
      const metric = metrics[i];
      if (metric) this.threshold(`${name}DlqNotEmpty`, metric, 1, `${name} dead-letter queue holds failed work.`);
    });
  }
}
