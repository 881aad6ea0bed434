/**
 * The two places a published CRL lives: the artifact bucket (S3, through real SDK command objects against a mocked
 * client that honours conditional writes) and the data directory (files). Both keep the higher-numbered CRL when
 * writers race, and the file store survives a new instance (a restart).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { crlObjectKey, S3CrlStore } from '../../../src/adapters/aws/s3-crl-store.js';
import { FileCrlStore } from '../../../src/adapters/local/file-crl-store.js';
import type { CrlStore, PublishedCrl } from '../../../src/ports.js';

const crl = (n: number): PublishedCrl => ({
  der: new Uint8Array([0x30, n]),
  crlNumber: BigInt(n),
  thisUpdate: 1_000 * n,
  nextUpdate: 1_000 * n + 86_400_000,
  revision: BigInt(n * 10),
});

/** A bucket of one key space with ETags, as S3 conditional writes see it. */
function fakeBucket() {
  const objects = new Map<string, { body: Uint8Array; metadata: Record<string, string>; etag: string }>();
  let version = 0;
  const s3 = mockClient(S3Client);
  const missing = () => Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
  s3.on(HeadObjectCommand).callsFake(async (input) => {
    const object = objects.get(input.Key);
    if (!object) throw missing();
    return { ETag: object.etag, Metadata: object.metadata };
  });
  s3.on(GetObjectCommand).callsFake(async (input) => {
    const object = objects.get(input.Key);
    if (!object) throw Object.assign(missing(), { name: 'NoSuchKey' });
    return { Metadata: object.metadata, Body: { transformToByteArray: async () => object.body } };
  });
  s3.on(ListObjectsV2Command).callsFake(async (input) => ({
    Contents: [...objects.keys()].filter((key) => key.startsWith(input.Prefix ?? '')).map((Key) => ({ Key })),
    IsTruncated: false,
  }));
  s3.on(PutObjectCommand).callsFake(async (input) => {
    const current = objects.get(input.Key);
    const failed =
      (input.IfNoneMatch === '*' && current !== undefined) ||
      (input.IfMatch !== undefined && current?.etag !== input.IfMatch);
    if (failed) throw Object.assign(new Error('PreconditionFailed'), { $metadata: { httpStatusCode: 412 } });
    version += 1;
    objects.set(input.Key, { body: input.Body as Uint8Array, metadata: input.Metadata ?? {}, etag: `"v${version}"` });
    return { ETag: `"v${version}"` };
  });
  return { s3, objects, client: new S3Client({ region: 'eu-west-1' }) };
}

async function behavesAsACrlStore(store: CrlStore) {
  expect(await store.get('t1')).toBeUndefined();
  await store.put('t1', crl(2));
  expect(await store.get('t1')).toEqual(crl(2));
  await store.put('t1', crl(1)); // an older CRL from a slower writer
  expect(await store.get('t1')).toEqual(crl(2));
  await store.put('t1', crl(3));
  expect(await store.get('t1')).toEqual(crl(3));
  expect(await store.get('t2')).toBeUndefined();
  await Promise.all([5, 4, 7, 6].map((n) => store.put('t1', crl(n))));
  expect((await store.get('t1'))?.crlNumber).toBe(7n);
  await store.put('tenant/2', crl(1));
  expect((await store.tenants()).sort()).toEqual(['t1', 'tenant/2']);
}

describe('S3CrlStore', () => {
  it('keeps the newest CRL, with conditional writes', async () => {
    const bucket = fakeBucket();
    await behavesAsACrlStore(new S3CrlStore(bucket.client, 'artifacts'));
    const puts = bucket.s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.every((input) => input.Bucket === 'artifacts' && input.Key?.startsWith('crl/'))).toBe(true);
    expect(puts.some((input) => input.Key === crlObjectKey('t1'))).toBe(true);
    expect(puts.every((input) => input.IfMatch !== undefined || input.IfNoneMatch === '*')).toBe(true);
    expect(puts[0]?.ContentType).toBe('application/pkix-crl');
    bucket.s3.restore();
  });

  it('hex-encodes the tenant id into the key', () => {
    expect(crlObjectKey('../x')).toBe(`crl/${Buffer.from('../x').toString('hex')}.crl`);
  });
});

describe('FileCrlStore', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kakunin-crl-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps the newest CRL in the data directory, across instances, in a private file', async () => {
    await behavesAsACrlStore(new FileCrlStore(dataDir));
    expect((await new FileCrlStore(dataDir).get('t1'))?.crlNumber).toBe(7n);
    const directory = join(dataDir, 'crl');
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    const files = readdirSync(directory);
    expect(files).toContain(`${Buffer.from('t1').toString('hex')}.json`);
    for (const file of files) expect(statSync(join(directory, file)).mode & 0o777).toBe(0o600);
  });
});
