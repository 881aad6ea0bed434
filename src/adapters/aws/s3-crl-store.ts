/**
 * The deployed CrlStore: the artifact bucket, key `crl/<tenant hex>.crl`, the DER as the object and the serving
 * fields as object metadata. The bucket is versioned with Object Lock, so every CRL ever published stays on record.
 * Writers race safely with S3 conditional writes: a CRL replaces the stored one only if its number is higher and the
 * object is still the one it compared against (If-Match on the ETag; If-None-Match for the first).
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { CrlStore, PublishedCrl } from '../../ports.js';

const ATTEMPTS = 5;

/** Object key of a tenant's CRL; the tenant id is hex-encoded so no character of it can shape the key. */
export const crlObjectKey = (tenantId: string): string => `crl/${Buffer.from(tenantId, 'utf8').toString('hex')}.crl`;

function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404
  );
}

function isConflict(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return status === 412 || status === 409;
}

function fromMetadata(metadata: Record<string, string> | undefined, der: Uint8Array): PublishedCrl {
  const m = metadata ?? {};
  const crl = {
    der,
    crlNumber: BigInt(m.crlnumber ?? '0'),
    thisUpdate: Number(m.thisupdate),
    nextUpdate: Number(m.nextupdate),
    revision: BigInt(m.revision ?? '0'),
  };
  if (!Number.isFinite(crl.thisUpdate) || !Number.isFinite(crl.nextUpdate)) throw new Error('CRL object metadata');
  return crl;
}

export class S3CrlStore implements CrlStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async get(tenantId: string): Promise<PublishedCrl | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: crlObjectKey(tenantId) }));
      const der = await out.Body?.transformToByteArray();
      if (der === undefined) throw new Error('CRL object without a body');
      return fromMetadata(out.Metadata, der);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Tenants with a published CRL: the keys under `crl/`. */
  async tenants(): Promise<string[]> {
    const tenants: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const out = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: 'crl/',
          ...(ContinuationToken ? { ContinuationToken } : {}),
        }),
      );
      for (const object of out.Contents ?? []) {
        const hex = /^crl\/([0-9a-f]+)\.crl$/.exec(object.Key ?? '')?.[1];
        if (hex !== undefined) tenants.push(Buffer.from(hex, 'hex').toString('utf8'));
      }
      ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
    return tenants;
  }

  async put(tenantId: string, crl: PublishedCrl): Promise<void> {
    const Key = crlObjectKey(tenantId);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      let etag: string | undefined;
      try {
        const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
        if (BigInt(head.Metadata?.crlnumber ?? '0') >= crl.crlNumber) return; // a newer CRL is already published
        etag = head.ETag;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      try {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key,
            Body: crl.der,
            ContentType: 'application/pkix-crl',
            Metadata: {
              crlnumber: crl.crlNumber.toString(),
              thisupdate: String(crl.thisUpdate),
              nextupdate: String(crl.nextUpdate),
              revision: crl.revision.toString(),
            },
            ...(etag === undefined ? { IfNoneMatch: '*' } : { IfMatch: etag }),
          }),
        );
        return;
      } catch (error) {
        if (!isConflict(error)) throw error; // another writer got there first: compare again
      }
    }
    throw new Error('CRL object kept changing under concurrent writers');
  }
}
