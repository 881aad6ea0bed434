/**
 * The action stream's consumer (Kinesis event source mapping on AWS; local mode's poller calls the same handler with
 * the same event). Decodes each record, lets the ActionConsumer apply them per agent, and answers
 * `batchItemFailures` so the mapping retries only from the first failed record (bisecting, then the on-failure
 * destination). Failing to build the context throws: the whole batch is retried, nothing is lost.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { Provider } from '../src/app/context.js';
import type { ActionConsumer } from '../src/core/monitoring/action-consumer.js';
import { decodeActionRecord } from '../src/core/monitoring/stream-record.js';
import { logger, metrics } from '../src/http/observability.js';

export interface ConsumerContext {
  consumer: ActionConsumer;
}

export const createActionConsumerHandler =
  (contextProvider: Provider<ConsumerContext>) =>
  async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const { consumer } = await contextProvider();
    const records = (event?.Records ?? []).map((record) => ({
      sequenceNumber: record.kinesis.sequenceNumber,
      action: decodeActionRecord(record.kinesis.data),
    }));
    const outcome = await consumer.consume(records);
    metrics.addMetric('BehaviorActionsApplied', MetricUnit.Count, outcome.applied);
    metrics.addMetric('PreRevocationWarnings', MetricUnit.Count, outcome.warnings);
    metrics.addMetric('AutoRevocations', MetricUnit.Count, outcome.revocations);
    metrics.addMetric('PoisonRecords', MetricUnit.Count, outcome.poison);
    for (const [band, count] of Object.entries(outcome.bands)) {
      if (count === 0) continue;
      const single = metrics.singleMetric();
      single.addDimensions({ band });
      single.addMetric('RiskBandUpdates', MetricUnit.Count, count);
    }
    metrics.publishStoredMetrics();
    if (outcome.failedSequenceNumbers.length > 0 || outcome.warnings > 0 || outcome.revocations > 0) {
      logger.info('action batch', {
        records: records.length,
        applied: outcome.applied,
        duplicates: outcome.duplicates,
        warnings: outcome.warnings,
        revocations: outcome.revocations,
        poison: outcome.poison,
        failed: outcome.failedSequenceNumbers.length,
      });
    }
    return { batchItemFailures: outcome.failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) };
  };
