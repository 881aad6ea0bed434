/**
 * The monitoring table's stores against dynalite: the behaviour store's version-checked saves (two consumers can
 * never both apply a batch), a baseline lock that no save erases, the risk projection the verifier reads, and the
 * webhook store's subscriptions and dead letters.
 */
import { describe, expect, it } from 'vitest';
import { DynamoBehaviorStore } from '../../../src/adapters/aws/dynamo/behavior-store.js';
import { DynamoLedger } from '../../../src/adapters/aws/dynamo/ledger.js';
import { createMonitoringTable } from '../../../src/adapters/aws/dynamo/monitoring-table.js';
import { DynamoWebhookStore } from '../../../src/adapters/aws/dynamo/webhook-store.js';
import type { BehaviorUpdate } from '../../../src/ports.js';
import { concurrently, freshTenant, useEmulators } from '../support/emulators.js';

const env = useEmulators();
const TABLE = 'kakunin-monitoring-test';

async function stores() {
  const { dynamo, doc } = env();
  await createMonitoringTable(dynamo, TABLE);
  return { behavior: new DynamoBehaviorStore(doc, TABLE), webhooks: new DynamoWebhookStore(doc, TABLE) };
}

const update = (score: number, bytes = 8): BehaviorUpdate => ({
  state: new Uint8Array(bytes).fill(score * 100),
  risk: {
    score,
    band: score < 0.3 ? 'low' : 'medium',
    updatedAt: 1_700_000_000_000,
    contributions: [{ signal: 's', weight: 1, value: 1, observed: 3, baseline: 1, detail: 'd' }],
  },
  lastActionAt: 1_700_000_000_000,
});

describe('DynamoBehaviorStore', () => {
  it('starts at version 0, saves conditionally and reads back state, risk and contributions', async () => {
    const { behavior } = await stores();
    const tenant = freshTenant();
    expect(await behavior.load(tenant, 'a_1')).toEqual({ tenantId: tenant, agentId: 'a_1', version: 0 });
    expect(await behavior.current(tenant, 'a_1')).toBeUndefined();
    expect(await behavior.save(tenant, 'a_1', 0, update(0.2))).toBe(true);
    const loaded = await behavior.load(tenant, 'a_1');
    expect(loaded).toMatchObject({ version: 1, risk: { score: 0.2, band: 'low', updatedAt: 1_700_000_000_000 } });
    expect(Buffer.from(loaded.state!)).toEqual(Buffer.from(update(0.2).state));
    expect(loaded.risk?.contributions).toEqual(update(0.2).risk.contributions);
    // The verifier's read: the three risk attributes only.
    expect(await behavior.current(tenant, 'a_1')).toEqual({ score: 0.2, band: 'low', updatedAt: 1_700_000_000_000 });
  });

  it('lets exactly one of many savers of the same version win', async () => {
    const { behavior } = await stores();
    const tenant = freshTenant();
    const results = await concurrently(8, (i) => behavior.save(tenant, 'a_race', 0, update(i / 10)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await behavior.save(tenant, 'a_race', 0, update(0.5))).toBe(false);
    expect(await behavior.save(tenant, 'a_race', 1, update(0.5))).toBe(true);
    expect((await behavior.load(tenant, 'a_race')).version).toBe(2);
  });

  it('keeps a baseline locked before or between saves', async () => {
    const { behavior } = await stores();
    const tenant = freshTenant();
    const lock = { transaction_size: { p50: 100, p99: 9_000 }, lockedAt: 1, lockedBy: 'key_1' };
    await behavior.putBaseline(tenant, 'a_b', lock);
    expect(await behavior.save(tenant, 'a_b', 0, update(0.1))).toBe(true);
    expect((await behavior.load(tenant, 'a_b')).baseline).toEqual(lock);
    const relock = { ...lock, active_hours: [[8, 18]] as [number, number][] };
    await behavior.putBaseline(tenant, 'a_b', relock);
    expect(await behavior.save(tenant, 'a_b', 1, update(0.3))).toBe(true);
    expect(await behavior.load(tenant, 'a_b')).toMatchObject({ version: 2, baseline: relock });
  });

  it('refuses state over 16 KiB before writing', async () => {
    const { behavior } = await stores();
    await expect(behavior.save(freshTenant(), 'a_big', 0, update(0.1, 16 * 1024 + 1))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });
});

describe('DynamoWebhookStore', () => {
  it('creates, lists per tenant, deletes, and keeps dead letters apart from subscriptions', async () => {
    const { webhooks } = await stores();
    const tenant = freshTenant();
    const sub = {
      tenantId: tenant,
      id: 'wh_1',
      url: 'https://x.example/h',
      eventTypes: [],
      secret: 'whsec_x',
      createdAt: 1,
    };
    await webhooks.create(sub);
    await expect(webhooks.create(sub)).rejects.toMatchObject({ code: 'CONFLICT' });
    await webhooks.create({ ...sub, id: 'wh_2', eventTypes: ['certificate.issued'], createdAt: 2 });
    await webhooks.create({ ...sub, tenantId: freshTenant(), id: 'wh_3' });
    expect((await webhooks.list(tenant)).map((w) => [w.id, w.eventTypes])).toEqual([
      ['wh_1', []],
      ['wh_2', ['certificate.issued']],
    ]);
    const event = {
      id: 'evt_1',
      type: 'certificate.issued' as const,
      createdAt: 'x',
      tenantId: tenant,
      data: { a: 1.5 },
    };
    const letter = {
      tenantId: tenant,
      webhookId: 'wh_1',
      eventId: 'evt_1',
      event,
      attempts: 12,
      firstAttemptAt: 1,
      lastAttemptAt: 2,
      lastError: 'HTTP 500',
    };
    await webhooks.putDeadLetter(letter);
    expect(await webhooks.listDeadLetters(tenant, 'wh_1')).toEqual([letter]);
    expect(await webhooks.listDeadLetters(tenant, 'wh_2')).toEqual([]);
    expect(await webhooks.list(tenant)).toHaveLength(2);
    expect(await webhooks.delete(tenant, 'wh_1')).toBe(true);
    expect(await webhooks.delete(tenant, 'wh_1')).toBe(false);
    expect(await webhooks.get(tenant, 'wh_1')).toBeUndefined();
    expect(await webhooks.listDeadLetters(tenant, 'wh_1')).toHaveLength(1);
    await webhooks.deleteDeadLetter(tenant, 'wh_1', 'evt_1');
    expect(await webhooks.listDeadLetters(tenant, 'wh_1')).toEqual([]);
  });
});

describe('the verification origin in the DynamoDB ledger', () => {
  it('round-trips an audited origin and keeps the chain valid', async () => {
    const { doc, tableNames } = env();
    const ledger = new DynamoLedger(doc, tableNames, { now: () => 1_700_000_000_000 });
    const tenant = freshTenant();
    const origin = { ip: '2001:db8::1', userAgent: 'gw/1 "quoted"', region: 'eu-west-1' };
    const entry = await ledger.append({ tenantId: tenant, actorId: 'a_1', type: 'action.verified', origin });
    await ledger.append({ tenantId: tenant, actorId: 'a_1', type: 'action.verified' });
    const listed = await ledger.list(tenant, { limit: 10 });
    expect(listed.items[0]).toMatchObject({ id: entry.id, origin });
    expect(listed.items[1]).not.toHaveProperty('origin');
    expect(await ledger.verify(tenant)).toMatchObject({ valid: true, entries: 2 });
  });
});
