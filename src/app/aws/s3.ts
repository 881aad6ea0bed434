/**
 * The artifact bucket's clients for a deployed function: where the CA publishes CRLs (loaded with the CA, lazily),
 * and the audit ledger's archive of checkpoints and tiles (Object Lock, COMPLIANCE), failing closed without a bucket.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { S3CrlStore } from '../../adapters/aws/s3-crl-store.js';
import { S3LogArchive } from '../../adapters/aws/s3-log-archive.js';
import { DependencyError } from '../../core/errors.js';
import type { CrlStore, LogArchive } from '../../ports.js';
import type { AppConfig } from '../config.js';
import { SDK_MAX_ATTEMPTS, sdkRequestHandler } from './http-handler.js';

const s3Client = () => new S3Client({ maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: sdkRequestHandler() });

export function createCrlStore(bucket: string): CrlStore {
  return new S3CrlStore(s3Client(), bucket);
}

export function createLogArchive(config: Pick<AppConfig, 'artifactBucket'>): LogArchive {
  if (config.artifactBucket === undefined) {
    const missing = () => Promise.reject(new DependencyError('no artifact bucket is configured for the log archive'));
    return { put: missing, get: missing };
  }
  return new S3LogArchive(s3Client(), config.artifactBucket);
}
