/**
 * The key vault of a deployed function (KMS). Importing this module loads the KMS client and @peculiar/x509 (the
 * vault converts ECDSA signatures through it), so functions that sign only on some routes import it lazily through
 * `lazyKeyVault` (src/app/lazy-services.ts). Every KMS request's duration becomes the `KmsLatency` metric.
 */
import { createKmsClient } from '../../adapters/aws/aws-clients.js';
import { KmsKeyVault } from '../../adapters/aws/kms-key-vault.js';
import { recordKmsCall } from '../../http/observability.js';
import type { KeyVault } from '../../ports.js';

export const createKeyVault = (): KeyVault => new KmsKeyVault({ client: createKmsClient(), onCall: recordKmsCall });
