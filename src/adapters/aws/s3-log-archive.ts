/**
 * The log archive when deployed: objects `log/<tenant id>/<path>` in the artifact bucket, which has Object Lock in
 * COMPLIANCE mode and versioning, so every checkpoint and tile version written stays readable and unchangeable for the
 * retention period even to the account root. (PutObject on an Object Lock bucket needs an integrity checksum: the SDK
 * sends a CRC32 by default.)
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DependencyError } from '../../core/errors.js';
import type { LogArchive } from '../../ports.js';

export class S3LogArchive implements LogArchive {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(tenantId: string, path: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `log/${tenantId}/${path}`,
          Body: bytes,
          ContentType: path.startsWith('tile/') ? 'application/octet-stream' : 'text/plain; charset=utf-8',
          ChecksumAlgorithm: 'CRC32',
        }),
      );
    } catch (error) {
      throw new DependencyError('cannot write the log archive', error);
    }
  }

  async get(tenantId: string, path: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: `log/${tenantId}/${path}` }));
      return out.Body === undefined ? undefined : new Uint8Array(await out.Body.transformToByteArray());
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey' || (error as Error).name === 'NotFound') return undefined;
      throw new DependencyError('cannot read the log archive', error);
    }
  }
}
