import { describe, expect, it } from 'vitest';
import { DynamoNonceStore } from '../../../src/adapters/aws/dynamo/nonce-store.js';
import { concurrently, freshTenant, useEmulators } from '../support/emulators.js';
import { fingerprintOf } from '../support/records.js';

const env = useEmulators();
const NOW = 1_764_190_000_000;
const TTL = 600_000;

describe('DynamoNonceStore against dynalite', () => {
  it('one nonce claimed by 50 concurrent verifiers: exactly one wins', async () => {
    const stores = Array.from({ length: 5 }, () => new DynamoNonceStore(env().doc, env().tableNames));
    const tenant = freshTenant();
    const results = await concurrently(50, (i) =>
      stores[i % stores.length]!.claim(tenant, fingerprintOf('c'), 'nonce-shared-0123456789', NOW, NOW + TTL),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('rejects a replay until the claim expires, then allows it again', async () => {
    const store = new DynamoNonceStore(env().doc, env().tableNames);
    const tenant = freshTenant();
    const fp = fingerprintOf('c');
    expect(await store.claim(tenant, fp, 'nonce-aaaaaaaaaaaaaaaa', NOW, NOW + TTL)).toBe(true);
    expect(await store.claim(tenant, fp, 'nonce-aaaaaaaaaaaaaaaa', NOW + 1, NOW + 1 + TTL)).toBe(false);
    expect(await store.claim(tenant, fp, 'nonce-aaaaaaaaaaaaaaaa', NOW + TTL, NOW + 2 * TTL)).toBe(false);
    expect(await store.claim(tenant, fp, 'nonce-aaaaaaaaaaaaaaaa', NOW + TTL + 1, NOW + 2 * TTL)).toBe(true);
  });

  it('an expired claim that TTL has not deleted yet is re-claimed by exactly one of 50 concurrent verifiers', async () => {
    const store = new DynamoNonceStore(env().doc, env().tableNames);
    const tenant = freshTenant();
    const fp = fingerprintOf('expired');
    const nonce = 'nonce-eeeeeeeeeeeeeeee';
    expect(await store.claim(tenant, fp, nonce, NOW, NOW + TTL)).toBe(true);
    const later = NOW + TTL + 1;
    const outcomes = await concurrently(50, () => store.claim(tenant, fp, nonce, later, later + TTL));
    expect(outcomes.filter((won) => won)).toHaveLength(1);
    // The winner's claim is live again: a replay right after it is refused.
    expect(await store.claim(tenant, fp, nonce, later + 1, later + 1 + TTL)).toBe(false);
  });

  it('scopes nonces to tenant and certificate', async () => {
    const store = new DynamoNonceStore(env().doc, env().tableNames);
    const [a, b] = [freshTenant(), freshTenant()];
    const nonce = 'nonce-bbbbbbbbbbbbbbbb';
    expect(await store.claim(a, fingerprintOf('1'), nonce, NOW, NOW + TTL)).toBe(true);
    expect(await store.claim(a, fingerprintOf('2'), nonce, NOW, NOW + TTL)).toBe(true);
    expect(await store.claim(b, fingerprintOf('1'), nonce, NOW, NOW + TTL)).toBe(true);
    // A '#' in an id must not let two different (tenant, fingerprint, nonce) triples share a key.
    expect(await store.claim('x#y', 'z', nonce, NOW, NOW + TTL)).toBe(true);
    expect(await store.claim('x', 'y#z', nonce, NOW, NOW + TTL)).toBe(true);
  });

  it('stores the TTL attribute in epoch seconds, rounded up', async () => {
    const store = new DynamoNonceStore(env().doc, env().tableNames);
    const tenant = freshTenant();
    await store.claim(tenant, 'fp', 'nonce-cccccccccccccccc', NOW, NOW + 1_500);
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const out = await env().doc.send(
      new GetCommand({ TableName: env().tableNames.nonces, Key: { pk: `${tenant}#fp#nonce-cccccccccccccccc` } }),
    );
    expect(out.Item?.expiresAt).toBe(Math.ceil((NOW + 1_500) / 1_000));
    expect(out.Item?.expiresAtMs).toBe(NOW + 1_500);
  });
});
