import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoVelocityStore } from '../../../src/adapters/aws/dynamo/velocity-store.js';
import type { VelocityRequest } from '../../../src/ports.js';
import { concurrently, freshTenant, useEmulators } from '../support/emulators.js';
import { fingerprintOf } from '../support/records.js';

const env = useEmulators();
/** 2025-11-26T21:00:00Z: a whole hour, far from a day boundary. */
const T0 = Date.UTC(2025, 10, 26, 10, 0, 0);
const HOUR = 3_600_000;

const stores = () => Array.from({ length: 4 }, () => new DynamoVelocityStore(env().doc, env().tableNames));
/** One level (the certificate itself), as most of these tests need: the store's single-certificate behaviour. */
type OneLevel = { at?: number; amount?: number; maxTransactionsPerHour?: number; maxDailyVolume?: number };
const request = (tenantId: string, overrides: OneLevel = {}): VelocityRequest => {
  const { at = T0, amount, ...limits } = overrides;
  return {
    tenantId,
    at,
    ...(amount === undefined ? {} : { amount }),
    levels: [{ fingerprint: fingerprintOf('cert'), ...limits }],
  };
};

async function dayVolume(tenantId: string, at: number): Promise<number | undefined> {
  const out = await env().doc.send(
    new GetCommand({
      TableName: env().tableNames.counters,
      Key: { pk: `VEL#${tenantId}#${fingerprintOf('cert')}`, sk: 'VELOCITY' },
    }),
  );
  return out.Item?.[`v${new Date(at).toISOString().slice(0, 10)}`] as number | undefined;
}

describe('DynamoVelocityStore against dynalite', () => {
  it('40 concurrent spends of 30 under a daily limit of 500: exactly floor(500/30) accepted, never over', async () => {
    const tenant = freshTenant();
    const pool = stores();
    const results = await concurrently(40, (i) =>
      pool[i % pool.length]!.consume(request(tenant, { at: T0 + i, amount: 30, maxDailyVolume: 500 })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(Math.floor(500 / 30));
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.limit === 'maxDailyVolume')).toBe(true);
    expect(await dayVolume(tenant, T0)).toBe(480);
  });

  it('50 concurrent transactions under maxTransactionsPerHour 10: exactly 10 accepted', async () => {
    const tenant = freshTenant();
    const pool = stores();
    const results = await concurrently(50, (i) =>
      pool[i % pool.length]!.consume(request(tenant, { at: T0 + i * 1_000, maxTransactionsPerHour: 10 })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    // Every refused request took its increment back: the stored minute holds exactly the accepted ten.
    const hourItem = await env().doc.send(
      new GetCommand({
        TableName: env().tableNames.counters,
        Key: { pk: `VEL#${tenant}#${fingerprintOf('cert')}`, sk: 'VELOCITY' },
      }),
    );
    expect(hourItem.Item?.[`m${Math.floor(T0 / 60_000)}`]).toBe(10);
    // Refused requests took their increments back: once the hour has slid past, the full limit is available again.
    const later = await concurrently(12, (i) =>
      pool[i % pool.length]!.consume(request(tenant, { at: T0 + HOUR + 61_000 + i, maxTransactionsPerHour: 10 })),
    );
    expect(later.filter((r) => r.ok)).toHaveLength(10);
  });

  it('counts over a sliding hour, not a calendar hour', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    const limit = { maxTransactionsPerHour: 3 };
    // Three transactions at 10:50, 10:55 and 11:05.
    for (const minute of [50, 55, 65]) {
      expect(await store.consume(request(tenant, { ...limit, at: T0 + minute * 60_000 }))).toEqual({ ok: true });
    }
    // 11:10: a new calendar hour, but three in the last sixty minutes.
    expect(await store.consume(request(tenant, { ...limit, at: T0 + 70 * 60_000 }))).toEqual({
      ok: false,
      limit: 'maxTransactionsPerHour',
      fingerprint: fingerprintOf('cert'),
    });
    // 11:52: the 10:50 transaction has left the window (the oldest minute counts whole, so one minute of slack).
    expect(await store.consume(request(tenant, { ...limit, at: T0 + 112 * 60_000 }))).toEqual({ ok: true });
  });

  it('a request refused by the daily limit consumes no hourly slot, and one refused hourly adds no volume', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    const limits = { maxTransactionsPerHour: 2, maxDailyVolume: 100 };
    expect(await store.consume(request(tenant, { ...limits, amount: 90 }))).toEqual({ ok: true });
    expect(await store.consume(request(tenant, { ...limits, amount: 20 }))).toEqual({
      ok: false,
      limit: 'maxDailyVolume',
      fingerprint: fingerprintOf('cert'),
    });
    expect(await store.consume(request(tenant, { ...limits, amount: 10 }))).toEqual({ ok: true });
    expect(await store.consume(request(tenant, { ...limits, amount: 0 }))).toEqual({
      ok: false,
      limit: 'maxTransactionsPerHour',
      fingerprint: fingerprintOf('cert'),
    });
    expect(await dayVolume(tenant, T0)).toBe(100);
  });

  it('adds volume in exact decimal: 0.1 + 0.2 fits a limit of 0.3', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    expect(await store.consume(request(tenant, { amount: 0.1, maxDailyVolume: 0.3 }))).toEqual({ ok: true });
    expect(await store.consume(request(tenant, { amount: 0.2, maxDailyVolume: 0.3 }))).toEqual({ ok: true });
    expect(await store.consume(request(tenant, { amount: 0.01, maxDailyVolume: 0.3 }))).toEqual({
      ok: false,
      limit: 'maxDailyVolume',
      fingerprint: fingerprintOf('cert'),
    });
  });

  it('starts a new volume at the UTC day boundary', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    const lastMs = Date.UTC(2025, 10, 26, 23, 59, 59, 999);
    expect(await store.consume(request(tenant, { at: lastMs, amount: 100, maxDailyVolume: 100 }))).toEqual({
      ok: true,
    });
    expect((await store.consume(request(tenant, { at: lastMs, amount: 1, maxDailyVolume: 100 }))).ok).toBe(false);
    expect(await store.consume(request(tenant, { at: lastMs + 1, amount: 100, maxDailyVolume: 100 }))).toEqual({
      ok: true,
    });
  });

  it('fails closed on amounts that can never fit', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    for (const amount of [-5, Number.NaN, Number.POSITIVE_INFINITY, 101]) {
      expect(await store.consume(request(tenant, { amount, maxDailyVolume: 100 }))).toEqual({
        ok: false,
        limit: 'maxDailyVolume',
        fingerprint: fingerprintOf('cert'),
      });
    }
    expect(await dayVolume(tenant, T0)).toBeUndefined();
  });

  it('prunes minutes long out of the window so the hour item stays small', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    for (const offset of [0, 60_000, 120_000]) {
      await store.consume(request(tenant, { at: T0 + offset, maxTransactionsPerHour: 5 }));
    }
    await store.consume(request(tenant, { at: T0 + 3 * HOUR, maxTransactionsPerHour: 5 }));
    const out = await env().doc.send(
      new GetCommand({
        TableName: env().tableNames.counters,
        Key: { pk: `VEL#${tenant}#${fingerprintOf('cert')}`, sk: 'VELOCITY' },
      }),
    );
    const minutes = Object.keys(out.Item ?? {}).filter((name) => name.startsWith('m'));
    expect(minutes).toEqual([`m${Math.floor((T0 + 3 * HOUR) / 60_000)}`]);
  });

  it('places no limit when the scope declares none', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    const results = await concurrently(20, () => store.consume(request(tenant, { amount: 1e6 })));
    expect(results.every((r) => r.ok)).toBe(true);
  });
});

describe('DynamoVelocityStore with both limits in one UpdateItem', () => {
  async function velocityItem(tenantId: string) {
    const out = await env().doc.send(
      new GetCommand({
        TableName: env().tableNames.counters,
        Key: { pk: `VEL#${tenantId}#${fingerprintOf('cert')}`, sk: 'VELOCITY' },
      }),
    );
    return out.Item ?? {};
  }

  it('an accepted request costs one UpdateItem', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    const seen: string[] = [];
    const name = `count-${Math.random()}`;
    env().doc.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      expect(
        await store.consume(request(tenant, { amount: 5, maxTransactionsPerHour: 10, maxDailyVolume: 100 })),
      ).toEqual({
        ok: true,
      });
    } finally {
      env().doc.middlewareStack.remove(name);
    }
    expect(seen).toEqual(['UpdateItemCommand']);
    expect(await dayVolume(tenant, T0)).toBe(5);
  });

  it('40 concurrent spends of 30 under day 500 and hour 100: exactly floor(500/30) accepted', async () => {
    const tenant = freshTenant();
    const pool = stores();
    const results = await concurrently(40, (i) =>
      pool[i % pool.length]!.consume(
        request(tenant, { at: T0 + i, amount: 30, maxDailyVolume: 500, maxTransactionsPerHour: 100 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(Math.floor(500 / 30));
    expect(await dayVolume(tenant, T0)).toBe(480);
    // Refused by the day: their minute increments were never written.
    expect((await velocityItem(tenant))[`m${Math.floor(T0 / 60_000)}`]).toBe(16);
  });

  it('30 concurrent spends under hour 10 and day 1000: exactly 10 accepted, refused ones take back their volume', async () => {
    const tenant = freshTenant();
    const pool = stores();
    const results = await concurrently(30, (i) =>
      pool[i % pool.length]!.consume(
        request(tenant, { at: T0 + i, amount: 7, maxDailyVolume: 1_000, maxTransactionsPerHour: 10 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.limit === 'maxTransactionsPerHour')).toBe(true);
    expect(await dayVolume(tenant, T0)).toBe(70);
  });

  it('names the hour first when both limits would refuse', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    const limits = { maxTransactionsPerHour: 1, maxDailyVolume: 10 };
    expect(await store.consume(request(tenant, { ...limits, amount: 8 }))).toEqual({ ok: true });
    expect(await store.consume(request(tenant, { ...limits, amount: 5 }))).toEqual({
      ok: false,
      limit: 'maxTransactionsPerHour',
      fingerprint: fingerprintOf('cert'),
    });
    expect(await store.consume(request(tenant, { ...limits, amount: 50 }))).toEqual({
      ok: false,
      limit: 'maxTransactionsPerHour',
      fingerprint: fingerprintOf('cert'),
    });
    expect(await dayVolume(tenant, T0)).toBe(8);
  });

  it('prunes day volumes older than two days', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    const limits = { maxTransactionsPerHour: 100, maxDailyVolume: 100 };
    await store.consume(request(tenant, { ...limits, amount: 1 }));
    await store.consume(request(tenant, { ...limits, amount: 1, at: T0 + 3 * 86_400_000 }));
    const days = Object.keys(await velocityItem(tenant)).filter((name) => name.startsWith('v'));
    expect(days).toEqual([`v${new Date(T0 + 3 * 86_400_000).toISOString().slice(0, 10)}`]);
  });
});

/**
 * Issue 9: amounts and limits whose exact running sum DynamoDB cannot hold (more than 38 digits, or outside its range)
 * used to make the UpdateItem fail: 503 with the nonce burned. The HTTP edge now refuses such amounts and limits
 * (400); the store still meets them from certificates issued before the bounds, and must answer, never throw.
 */
describe('DynamoVelocityStore with amounts off the 38-digit grid', () => {
  it.each([
    [1e-200, 1],
    [5e-324, 1],
    [1e150, 1e200],
    [1.5e-19, 1],
  ])('refuses amount %s under a day limit of %s without writing anything', async (amount, maxDailyVolume) => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    await expect(store.consume(request(tenant, { amount, maxDailyVolume }))).resolves.toEqual({
      ok: false,
      limit: 'maxDailyVolume',
      fingerprint: fingerprintOf('cert'),
    });
    expect(await dayVolume(tenant, T0)).toBeUndefined();
  });

  it('enforces a legacy day limit of 1e30 exactly on the grid with amount 0.123456789', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    for (let i = 0; i < 3; i += 1) {
      await expect(
        store.consume(request(tenant, { at: T0 + i, amount: 0.123456789, maxDailyVolume: 1e30 })),
      ).resolves.toEqual({ ok: true });
    }
    expect(await dayVolume(tenant, T0)).toBe(0.370370367);
    await expect(
      store.consume(request(tenant, { at: T0 + 5, amount: 99_999_999_999_999_980_000, maxDailyVolume: 1e30 })),
    ).resolves.toEqual({ ok: false, limit: 'maxDailyVolume', fingerprint: fingerprintOf('cert') });
  });

  it('refuses every spend under a legacy limit it cannot enforce exactly (too many decimals)', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    await expect(store.consume(request(tenant, { amount: 0, maxDailyVolume: 1.5e-19 }))).resolves.toEqual({
      ok: false,
      limit: 'maxDailyVolume',
      fingerprint: fingerprintOf('cert'),
    });
  });

  it('holds the largest bounded sums exactly: 20 integer digits and 18 decimals', async () => {
    const tenant = freshTenant();
    const store = new DynamoVelocityStore(env().doc, env().tableNames);
    const limit = 99_999_999_999_999_980_000;
    await expect(
      store.consume(request(tenant, { amount: 0.000000000000000001, maxDailyVolume: limit })),
    ).resolves.toEqual({
      ok: true,
    });
    await expect(
      store.consume(request(tenant, { at: T0 + 1, amount: 99_999_999_999_999_970_000, maxDailyVolume: limit })),
    ).resolves.toEqual({ ok: true });
    // 99999999999999980000 − 99999999999999970000.000000000000000001 < 10000: refused, exactly.
    await expect(
      store.consume(request(tenant, { at: T0 + 2, amount: 10_000, maxDailyVolume: limit })),
    ).resolves.toEqual({ ok: false, limit: 'maxDailyVolume', fingerprint: fingerprintOf('cert') });
    await expect(store.consume(request(tenant, { at: T0 + 3, amount: 9_999, maxDailyVolume: limit }))).resolves.toEqual(
      { ok: true },
    );
  });
});
