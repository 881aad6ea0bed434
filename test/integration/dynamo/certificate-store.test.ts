import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCertificateStore } from '../../../src/adapters/aws/dynamo/certificate-store.js';
import { concurrently, freshTenant, useEmulators } from '../support/emulators.js';
import { certificateRecord, fingerprintOf } from '../support/records.js';

const env = useEmulators();
const store = () => new DynamoCertificateStore(env().doc, env().tableNames);
const AT = 1_764_200_000_000;

describe('DynamoCertificateStore against dynalite', () => {
  it('puts once, reads back exactly, and refuses a second put of the same fingerprint', async () => {
    const tenant = freshTenant();
    const record = certificateRecord(tenant, 'root', { keyRef: 'arn:aws:kms:local:key/1', keySpec: 'ECC_NIST_P256' });
    await store().put(record);
    expect(await store().get(tenant, record.fingerprint)).toEqual(record);
    await expect(store().put({ ...record, agentId: 'other' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await store().get(freshTenant(), record.fingerprint)).toBeUndefined();
  });

  it('getMany reads more than one batch, skips unknown and duplicate fingerprints, keeps request order', async () => {
    const tenant = freshTenant();
    const records = Array.from({ length: 130 }, (_, i) => certificateRecord(tenant, `c${i}`));
    await concurrently(records.length, (i) => store().put(records[i]!));
    const asked = [...records.map((r) => r.fingerprint).reverse(), fingerprintOf('unknown'), records[0]!.fingerprint];
    const found = await store().getMany(tenant, asked);
    expect(found.map((r) => r.fingerprint)).toEqual(records.map((r) => r.fingerprint).reverse());
    expect(await store().getMany(tenant, [])).toEqual([]);
  });

  it('revokes once; concurrent revokes all report the first time and reason', async () => {
    const tenant = freshTenant();
    const record = certificateRecord(tenant, 'leaf');
    await store().put(record);
    const results = await concurrently(20, (i) =>
      store().revoke(tenant, record.fingerprint, i % 2 === 0 ? 'keyCompromise' : 'superseded', AT + i),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    const winner = results.find((r) => r.changed)!;
    for (const result of results) {
      expect({ revokedAt: result.revokedAt, reason: result.reason }).toEqual({
        revokedAt: winner.revokedAt,
        reason: winner.reason,
      });
    }
    const stored = await store().get(tenant, record.fingerprint);
    expect(stored).toMatchObject({ status: 'revoked', revokedAt: winner.revokedAt, revocationReason: winner.reason });
    // Later revocations never rewrite the first one.
    expect(await store().revoke(tenant, record.fingerprint, 'unspecified', AT + 999)).toEqual({
      ...winner,
      changed: false,
    });
  });

  it('revoke of an unknown certificate is NOT_FOUND and leaves nothing listed', async () => {
    const tenant = freshTenant();
    await expect(store().revoke(tenant, fingerprintOf('nope'), 'superseded', AT)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await store().listRevoked(tenant)).toEqual([]);
  });

  it('a put can never re-activate a revoked certificate', async () => {
    const tenant = freshTenant();
    const record = certificateRecord(tenant, 'again');
    await store().put(record);
    await store().revoke(tenant, record.fingerprint, 'keyCompromise', AT);
    await expect(store().put(record)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await store().get(tenant, record.fingerprint))?.status).toBe('revoked');
  });

  it('lists children, certificates of an agent, and directly revoked certificates', async () => {
    const tenant = freshTenant();
    const parent = certificateRecord(tenant, 'parent', { agentId: 'a1' });
    const childA = certificateRecord(tenant, 'childA', {
      agentId: 'a2',
      parentFingerprint: parent.fingerprint,
      ancestors: [parent.fingerprint],
    });
    const childB = certificateRecord(tenant, 'childB', {
      agentId: 'a2',
      parentFingerprint: parent.fingerprint,
      ancestors: [parent.fingerprint],
    });
    const grandchild = certificateRecord(tenant, 'grandchild', {
      agentId: 'a3',
      parentFingerprint: childA.fingerprint,
      ancestors: [parent.fingerprint, childA.fingerprint],
    });
    for (const record of [parent, childA, childB, grandchild]) await store().put(record);
    const fps = (records: { fingerprint: string }[]) => records.map((r) => r.fingerprint).sort();

    expect(fps(await store().listChildren(tenant, parent.fingerprint))).toEqual(fps([childA, childB]));
    expect(fps(await store().listChildren(tenant, childA.fingerprint))).toEqual([grandchild.fingerprint]);
    expect(await store().listChildren(tenant, grandchild.fingerprint)).toEqual([]);
    expect(fps(await store().listByAgent(tenant, 'a2'))).toEqual(fps([childA, childB]));
    expect(await store().listByAgent(freshTenant(), 'a2')).toEqual([]);

    await store().revoke(tenant, childA.fingerprint, 'anomaly', AT);
    const revoked = await store().listRevoked(tenant);
    expect(revoked.map((r) => r.fingerprint)).toEqual([childA.fingerprint]);
    expect(revoked[0]).toMatchObject({ status: 'revoked', revocationReason: 'anomaly', revokedAt: AT });
    // A revoked certificate still appears among its parent's children, with its status.
    const children = await store().listChildren(tenant, parent.fingerprint);
    expect(children.find((c) => c.fingerprint === childA.fingerprint)?.status).toBe('revoked');
  });

  it('a marker left by a revocation that failed half-way does not list an active certificate', async () => {
    const tenant = freshTenant();
    const record = certificateRecord(tenant, 'half');
    await store().put(record);
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await env().doc.send(
      new PutCommand({
        TableName: env().tableNames.registry,
        Item: { pk: `REVOKED#${tenant}`, sk: record.fingerprint, itemType: 'revocation-marker' },
      }),
    );
    expect(await store().listRevoked(tenant)).toEqual([]);
  });

  it('keeps storage attributes out of returned records', async () => {
    const tenant = freshTenant();
    const record = certificateRecord(tenant, 'clean');
    await store().put(record);
    const raw = await env().doc.send(
      new GetCommand({
        TableName: env().tableNames.registry,
        Key: { pk: `CERT#${tenant}#${record.fingerprint}`, sk: 'CERT' },
      }),
    );
    expect(raw.Item?.gsi2pk).toBe(`AGENTCERTS#${tenant}#agent-1`);
    expect(Object.keys((await store().get(tenant, record.fingerprint))!).sort()).toEqual(Object.keys(record).sort());
  });
});
