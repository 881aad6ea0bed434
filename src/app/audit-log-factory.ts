/**
 * Builds the AuditLogService from a runtime's ports and configuration. The checkpoint key: the configured one
 * (`KAKUNIN_CHECKPOINT_KEY_ID`, the stateful stack's KMS key when deployed; local mode stores its key id in the data
 * directory), else one created in the vault on first use (unit tests, in-process tools).
 */

import { AuditLogService } from './audit-log.js';
import type { AppConfig } from './config.js';
import type { Ports } from './context.js';

export const CHECKPOINT_KEY_TAGS = { tenantId: 'deployment', purpose: 'checkpoint' } as const;

export function createAuditLog(
  ports: Pick<Ports, 'ledger' | 'checkpoints' | 'archive' | 'vault' | 'events' | 'clock'>,
  config: Pick<AppConfig, 'checkpointKeyId' | 'logHost' | 'publicBaseUrl' | 'checkpointCoverageMs'>,
): AuditLogService {
  let keyId: Promise<string> | undefined;
  const checkpointKeyId = () => {
    keyId ??=
      config.checkpointKeyId !== undefined
        ? Promise.resolve(config.checkpointKeyId)
        : ports.vault.createKey('ECC_NIST_EDWARDS25519', CHECKPOINT_KEY_TAGS).catch((error: unknown) => {
            keyId = undefined;
            throw error;
          });
    return keyId;
  };
  return new AuditLogService({
    ...ports,
    checkpointKeyId,
    logHost: config.logHost ?? new URL(config.publicBaseUrl).host,
    coverageMs: config.checkpointCoverageMs ?? 60_000,
  });
}
