/**
 * The nonce stores: in memory (LRU with TTL, never evicting a live nonce) and DynamoDB against dynalite (one
 * conditional PutItem per claim: of concurrent claims of one nonce exactly one wins; an expired claim is absent).
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbNonceStore } from '../../packages/sdk/src/aws.js';
import { MemoryNonceStore, type NonceStore } from '../../packages/sdk/src/index.js';

const FP = `sha256:${'f'.repeat(64)}`;

function clock(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Behaviour every NonceStore must have. */
function conformance(name: string, make: (now: () => number) => Promise<NonceStore>) {
  describe(`${name}: NonceStore conformance`, () => {
    it('a nonce passes once per certificate; another certificate may use it', async () => {
      const time = clock(1_000_000);
      const store = await make(time.now);
      expect(await store.claim(FP, 'nonce-aaaaaaaaaaaaaaaa', 1_300_000)).toBe(true);
      expect(await store.claim(FP, 'nonce-aaaaaaaaaaaaaaaa', 1_300_000)).toBe(false);
      expect(await store.claim(`sha256:${'0'.repeat(64)}`, 'nonce-aaaaaaaaaaaaaaaa', 1_300_000)).toBe(true);
    });

    it('of 50 concurrent claims of one nonce exactly one wins', async () => {
      const time = clock(2_000_000);
      const store = await make(time.now);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.claim(FP, 'nonce-concurrent-0001', 2_300_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('an expired claim no longer blocks (the timestamp window refuses that envelope anyway)', async () => {
      const time = clock(3_000_000);
      const store = await make(time.now);
      expect(await store.claim(FP, 'nonce-expiring-00001', 3_000_500)).toBe(true);
      time.advance(1_000);
      expect(await store.claim(FP, 'nonce-expiring-00001', 3_001_500)).toBe(true);
    });
  });
}

conformance('MemoryNonceStore', async (now) => new MemoryNonceStore({ clock: { now } }));

describe('MemoryNonceStore when full', () => {
  it('drops expired nonces, and refuses rather than evicting a live one', async () => {
    const time = clock(5_000);
    const store = new MemoryNonceStore({ maxEntries: 2, clock: { now: time.now } });
    expect(await store.claim(FP, 'a'.repeat(16), 5_100)).toBe(true);
    expect(await store.claim(FP, 'b'.repeat(16), 15_000)).toBe(true);
    await expect(store.claim(FP, 'c'.repeat(16), 15_000)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    time.advance(200); // 'a' expired: its slot can be reused
    expect(await store.claim(FP, 'c'.repeat(16), 15_000)).toBe(true);
    expect(await store.claim(FP, 'b'.repeat(16), 15_000)).toBe(false); // the live one was never evicted
  });
});

const require = createRequire(import.meta.url);
type Server = {
  listen(port: number, host: string, cb: () => void): void;
  address(): AddressInfo;
  close(cb: () => void): void;
};
let server: Server;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  server = (require('dynalite') as (o: object) => Server)({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${server.address().port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
  });
});

afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

async function dynamoStore(now: () => number): Promise<NonceStore> {
  tables += 1;
  const tableName = `sdk-nonces-${tables}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return new DynamoDbNonceStore({ tableName, client, now });
}

conformance('DynamoDbNonceStore (dynalite)', dynamoStore);

describe('DynamoDbNonceStore failures', () => {
  it('rejects when the table is missing (the verifier then fails closed)', async () => {
    const store = new DynamoDbNonceStore({ tableName: 'no-such-table', client });
    await expect(store.claim(FP, 'n'.repeat(16), Date.now() + 1000)).rejects.toThrow();
  });
});
