/**
 * Scheduled (every minute) checkpoint-and-audit function: publishes each configured tenant's checkpoint (tiles and
 * note to the Object Lock bucket, `ledger.checkpoint_published` on the bus) after re-checking the newest entries, and
 * reports `CheckpointUncoveredAgeSeconds` and `LedgerAuditFailures` (alarmed: lib/observability). Tenants come from
 * `KAKUNIN_CHECKPOINT_TENANTS` (comma-separated; the bootstrap tenant by default).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoCheckpointStore } from '../../src/adapters/aws/dynamo/checkpoint-store.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo/ledger.js';
import { createAuditLog } from '../../src/app/audit-log-factory.js';
import { createDocumentClient } from '../../src/app/aws/dynamo.js';
import { createEventPublisher } from '../../src/app/aws/eventbridge.js';
import { createKeyVault } from '../../src/app/aws/kms.js';
import { systemClock } from '../../src/app/aws/runtime.js';
import { createLogArchive } from '../../src/app/aws/s3.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { runCheckpointJob } from '../../src/app/checkpoint-job.js';
import { CHECKPOINT_TENANTS_ENV } from '../../src/app/checkpoint-tenants.js';
import { configFromEnv } from '../../src/app/config.js';
import { logger, metrics } from '../../src/http/observability.js';

const deps = cachedProvider(() => {
  const config = configFromEnv();
  const doc = createDocumentClient();
  const ledger = new DynamoLedger(doc, config.tables, systemClock);
  const checkpoints = new DynamoCheckpointStore(doc, config.tables);
  const auditLog = createAuditLog(
    {
      ledger,
      checkpoints,
      archive: createLogArchive(config),
      vault: createKeyVault(),
      events: createEventPublisher(config.eventBus),
      clock: systemClock,
    },
    config,
  );
  return { auditLog, ledger, checkpoints, clock: systemClock };
});

export async function handler(): Promise<{ tenants: number; failures: number }> {
  const tenants = (process.env[CHECKPOINT_TENANTS_ENV] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  const reports = await runCheckpointJob(await deps(), tenants);
  let failures = 0;
  let oldest = 0;
  for (const report of reports) {
    if (report.integrityFailure) failures += 1;
    oldest = Math.max(oldest, report.uncoveredAgeSeconds);
    if (report.error !== undefined) logger.error('checkpoint run failed', { ...report });
  }
  metrics.addMetric('LedgerAuditFailures', MetricUnit.Count, failures);
  metrics.addMetric('CheckpointUncoveredAgeSeconds', MetricUnit.Seconds, oldest);
  metrics.publishStoredMetrics();
  return { tenants: reports.length, failures };
}
