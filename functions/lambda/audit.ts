/** Lambda entry of the audit routes (functions/audit.ts): the ledger table, the checkpoint key, the archive bucket. */
import { DynamoCheckpointStore } from '../../src/adapters/aws/dynamo/checkpoint-store.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo/ledger.js';
import { createAuditLog } from '../../src/app/audit-log-factory.js';
import { createDocumentClient } from '../../src/app/aws/dynamo.js';
import { createEventPublisher } from '../../src/app/aws/eventbridge.js';
import { createKeyVault } from '../../src/app/aws/kms.js';
import { systemClock } from '../../src/app/aws/runtime.js';
import { createLogArchive } from '../../src/app/aws/s3.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv } from '../../src/app/config.js';
import { type AuditContext, createAuditHandler } from '../audit.js';

const context = cachedProvider((): AuditContext => {
  const config = configFromEnv();
  const doc = createDocumentClient();
  const ledger = new DynamoLedger(doc, config.tables, systemClock);
  const auditLog = createAuditLog(
    {
      ledger,
      checkpoints: new DynamoCheckpointStore(doc, config.tables),
      archive: createLogArchive(config),
      vault: createKeyVault(),
      events: createEventPublisher(config.eventBus),
      clock: systemClock,
    },
    config,
  );
  return { ledger, auditLog };
});

export const handler = createAuditHandler(context);
