/** The artifact bucket's client for a deployed function: where the CA publishes CRLs (loaded with the CA, lazily). */
import { S3Client } from '@aws-sdk/client-s3';
import { S3CrlStore } from '../../adapters/aws/s3-crl-store.js';
import type { CrlStore } from '../../ports.js';
import { SDK_MAX_ATTEMPTS, sdkRequestHandler } from './http-handler.js';

export function createCrlStore(bucket: string): CrlStore {
  return new S3CrlStore(new S3Client({ maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: sdkRequestHandler() }), bucket);
}
