/**
 * Tampering with the stored ledger the way a principal holding PutItem/DeleteItem on the table could, against
 * dynalite: `GET /v1/audit/verify`'s check names the first invalid seq, and for a tail rewritten with recomputed
 * hashes (chain and tree consistent again) the signed checkpoint the ledger now contradicts, locating the first
 * rewritten entry through the archived tiles.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { toLedgerItem } from '../../../src/adapters/aws/dynamo/ledger-item.js';
import { canonicalString } from '../../../src/core/canonical-json.js';
import { appendLeaf, leafHash } from '../../../src/core/ledger/merkle.js';
import { sealLeaf } from '../../../src/core/ledger-hash.js';
import type { AuditEntry } from '../../../src/core/model.js';
import { freshTenant, useEmulators } from '../support/emulators.js';
import { auditInput } from '../support/records.js';
import { dynamoAuditLog } from './audit-log-support.js';

const env = useEmulators();

/** 50 entries, one item each; checkpoints at 40 and 50. */
async function signedLedger() {
  const log = await dynamoAuditLog(env());
  const tenant = freshTenant();
  for (let i = 0; i < 40; i += 1) await log.ledger.append(auditInput(tenant, i));
  const first = await log.auditLog.publish(tenant);
  for (let i = 40; i < 50; i += 1) await log.ledger.append(auditInput(tenant, i));
  const second = await log.auditLog.publish(tenant);
  expect([first.size, second.size]).toEqual([40, 50]);
  expect(await log.auditLog.verify(tenant)).toMatchObject({ valid: true, entries: 50, checkpoint: { size: 50 } });
  return { ...log, tenant, first, second };
}

const table = () => env().tableNames.ledger;
async function item(tenant: string, seq: number) {
  return (await env().doc.send(new GetCommand({ TableName: table(), Key: { pk: tenant, sk: seq } }))).Item!;
}
const put = (entry: Record<string, unknown>) => env().doc.send(new PutCommand({ TableName: table(), Item: entry }));

describe('tamper tests against dynalite', () => {
  it('alter a field of entry 17: first invalid seq 17', async () => {
    const { auditLog, tenant } = await signedLedger();
    const stored = await item(tenant, 17);
    const entry = JSON.parse(String(stored.e)) as { payload: { amount: number } };
    entry.payload.amount = 1;
    await put({ ...stored, e: canonicalString(entry) });
    expect(await auditLog.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: 17 });
  });

  it('delete entry 23: first invalid seq 23 (missing)', async () => {
    const { auditLog, tenant } = await signedLedger();
    await env().doc.send(new DeleteCommand({ TableName: table(), Key: { pk: tenant, sk: 23 } }));
    expect(await auditLog.verify(tenant)).toMatchObject({
      valid: false,
      firstInvalidSeq: 23,
      reason: 'entry 23 is missing',
    });
  });

  it('reorder entries 5 and 6: first invalid seq 5', async () => {
    const { auditLog, tenant } = await signedLedger();
    const [five, six] = [await item(tenant, 5), await item(tenant, 6)];
    await put({ ...five, e: six.e, n: six.n });
    await put({ ...six, e: five.e, n: five.n });
    expect(await auditLog.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: 5 });
  });

  it('splice a forged entry at 30 that links to 29 with a recomputed hash: first invalid seq 30', async () => {
    const { auditLog, ledger, tenant } = await signedLedger();
    const previous = JSON.parse(String((await item(tenant, 29)).e)) as AuditEntry;
    const original = JSON.parse(String((await item(tenant, 30)).e)) as AuditEntry;
    const { leaf } = sealLeaf({ ...original, actorId: 'forged', prevHash: previous.hash });
    const { completed } = appendLeaf(await ledger.frontierAt(tenant, 30), 30, leafHash(leaf));
    await put(toLedgerItem(tenant, [{ seq: 30, leaf, nodes: completed }], await ledger.frontierAt(tenant, 30)));
    expect(await auditLog.verify(tenant)).toMatchObject({ valid: false, firstInvalidSeq: 30 });
  });

  it('rewrite the whole tail from 20 with recomputed hashes: names seq 20 and the contradicted checkpoint 40', async () => {
    const { auditLog, ledger, tenant, first } = await signedLedger();
    // What a principal holding PutItem could do: recompute every hash, link and tree node after its change.
    let frontier = await ledger.frontierAt(tenant, 20);
    let prevHash = (JSON.parse(String((await item(tenant, 19)).e)) as AuditEntry).hash;
    for (let seq = 20; seq < 50; seq += 1) {
      const original = JSON.parse(String((await item(tenant, seq)).e)) as AuditEntry;
      const { entry, leaf } = sealLeaf({ ...original, riskScore: 0, prevHash });
      const appended = appendLeaf(frontier, seq, leafHash(leaf));
      await put(toLedgerItem(tenant, [{ seq, leaf, nodes: appended.completed }], frontier));
      frontier = appended.frontier;
      prevHash = entry.hash;
    }
    // The chain and the stored tree are consistent again: only the signed checkpoints can tell.
    expect(await ledger.verify(tenant)).toMatchObject({ valid: true, entries: 50 });
    expect(await auditLog.verify(tenant)).toEqual({
      valid: false,
      entries: 40,
      firstInvalidSeq: 20,
      reason: 'the log contradicts the signed checkpoint of size 40',
      contradictedCheckpoint: { size: 40, checkpoint: first.note },
    });
    // And no new checkpoint is signed over the rewritten log.
    await ledger.append(auditInput(tenant, 99));
    await expect(auditLog.publish(tenant)).rejects.toThrow(/contradicts the signed checkpoint of size 50/);
  });

  it('a forged checkpoint item (PutItem on the checkpoint row) is reported, never trusted', async () => {
    const { auditLog, tenant, second } = await signedLedger();
    await put({ pk: `CP#${tenant}`, sk: 50, note: second.note.replace(/\n\n— /, '\n\n— x'), createdAt: 1 });
    expect(await auditLog.verify(tenant)).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/does not verify/),
    });
  });
});
