/** The log archive of a deployed function: the artifact bucket (Object Lock, COMPLIANCE), or fail closed without it. */
import { S3Client } from '@aws-sdk/client-s3';
import { S3LogArchive } from '../../adapters/aws/s3-log-archive.js';
import { DependencyError } from '../../core/errors.js';
import type { LogArchive } from '../../ports.js';
import type { AppConfig } from '../config.js';
import { SDK_MAX_ATTEMPTS, sdkRequestHandler } from './http-handler.js';

export function createLogArchive(config: Pick<AppConfig, 'artifactBucket'>): LogArchive {
  if (config.artifactBucket === undefined) {
    const missing = () => Promise.reject(new DependencyError('no artifact bucket is configured for the log archive'));
    return { put: missing, get: missing };
  }
  return new S3LogArchive(
    new S3Client({ maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: sdkRequestHandler() }),
    config.artifactBucket,
  );
}
