/**
 * The scheduled checkpoint-and-audit run (deployed: every minute, functions/lambda/checkpoint.ts). For each tenant it
 * publishes a checkpoint of the newest entries, which re-reads and re-hashes every entry since the last signed
 * checkpoint and refuses to sign anything that disagrees (AuditLogService.publish): that is the auditor. It reports,
 * per run, the age of the oldest entry no checkpoint covers yet (0 when all are covered) and the number of integrity
 * failures, which the stack alarms on (any failure; an age over 10 minutes or no report at all).
 */

import type { CheckpointStore, Clock, Ledger } from '../ports.js';
import type { AuditLogService } from './audit-log.js';
import { LedgerIntegrityError } from './audit-log-support.js';

export interface CheckpointRunReport {
  tenantId: string;
  size?: number;
  /** Seconds since the newest checkpoint was made when entries remain uncovered; 0 when every entry is covered. */
  uncoveredAgeSeconds: number;
  integrityFailure: boolean;
  error?: string;
}

export interface CheckpointJobDeps {
  auditLog: AuditLogService;
  ledger: Pick<Ledger, 'head'>;
  checkpoints: Pick<CheckpointStore, 'latest'>;
  clock: Clock;
}

export async function runCheckpointJob(
  deps: CheckpointJobDeps,
  tenants: readonly string[],
): Promise<CheckpointRunReport[]> {
  const reports: CheckpointRunReport[] = [];
  for (const tenantId of tenants) {
    let integrityFailure = false;
    let error: string | undefined;
    try {
      await deps.auditLog.publish(tenantId);
    } catch (caught) {
      integrityFailure = caught instanceof LedgerIntegrityError;
      error = caught instanceof Error ? caught.message : 'checkpoint failed';
    }
    const [head, latest] = await Promise.all([deps.ledger.head(tenantId), deps.checkpoints.latest(tenantId)]);
    const covered = latest !== undefined && latest.size >= head.size;
    const uncoveredAgeSeconds = head.size === 0 || covered ? 0 : (deps.clock.now() - (latest?.createdAt ?? 0)) / 1_000;
    reports.push({
      tenantId,
      ...(latest === undefined ? {} : { size: latest.size }),
      uncoveredAgeSeconds,
      integrityFailure,
      ...(error === undefined ? {} : { error }),
    });
  }
  return reports;
}
