/** An AuditLogService over the DynamoDB ledger and checkpoint store (dynalite), a memory vault and archive. */
import { DynamoCheckpointStore } from '../../../src/adapters/aws/dynamo/checkpoint-store.js';
import { DynamoLedger } from '../../../src/adapters/aws/dynamo/ledger.js';
import type { Emulators } from '../../../src/adapters/local/emulators.js';
import { MemoryKeyVault } from '../../../src/adapters/memory/memory-key-vault.js';
import { MemoryLogArchive } from '../../../src/adapters/memory/memory-log.js';
import { MemoryEventPublisher } from '../../../src/adapters/memory/memory-streams.js';
import { AuditLogService } from '../../../src/app/audit-log.js';
import type { Clock } from '../../../src/ports.js';

export async function dynamoAuditLog(env: Emulators, clock: Clock = { now: () => Date.now() }) {
  const ledger = new DynamoLedger(env.doc, env.tableNames, clock, { maxAttempts: 60 });
  const vault = new MemoryKeyVault();
  const keyId = await vault.createKey('ECC_NIST_EDWARDS25519', { tenantId: 'deployment', purpose: 'checkpoint' });
  const archive = new MemoryLogArchive();
  const events = new MemoryEventPublisher();
  const checkpoints = new DynamoCheckpointStore(env.doc, env.tableNames);
  const auditLog = new AuditLogService({
    ledger,
    checkpoints,
    archive,
    vault,
    events,
    clock,
    checkpointKeyId: async () => keyId,
    logHost: 'kakunin.test',
    coverageMs: 0,
  });
  return { ledger, vault, archive, events, checkpoints, auditLog };
}
