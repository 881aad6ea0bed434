/**
 * Concurrent appenders (independent writers, as separate Lambda containers, plus group commits inside each) while
 * checkpoints are published: nothing is lost, the chain never forks, every checkpoint is consistent with the one
 * before it (RFC 9162 consistency proof from the stored tree), and the final log verifies against all of them.
 */
import { describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../../src/adapters/aws/dynamo/ledger.js';
import { parseCheckpointText } from '../../../src/core/ledger/checkpoint.js';
import { verifyConsistency } from '../../../src/core/ledger/proofs.js';
import { openNote, parseVerifierKey } from '../../../src/core/ledger/signed-note.js';
import { concurrently, freshTenant, useEmulators } from '../support/emulators.js';
import { auditInput } from '../support/records.js';
import { dynamoAuditLog } from './audit-log-support.js';

const env = useEmulators();

describe('concurrent appends with checkpoints against dynalite', () => {
  it('120 appends from 6 writers while checkpoints are published: no loss, no fork, all checkpoints consistent', async () => {
    const { auditLog, checkpoints } = await dynamoAuditLog(env());
    const tenant = freshTenant();
    const writers = Array.from(
      { length: 6 },
      () => new DynamoLedger(env().doc, env().tableNames, undefined, { maxAttempts: 80 }),
    );
    let appending = true;
    const publisher = (async () => {
      while (appending) {
        await auditLog.publish(tenant);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const appended = await concurrently(120, (i) => writers[i % 6]!.append(auditInput(tenant, i)));
    appending = false;
    await publisher;
    await auditLog.publish(tenant);

    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(new Set(appended.map((e) => e.nonce)).size).toBe(120);
    const vkey = parseVerifierKey(await auditLog.verifierKey(tenant));
    const signed = (await checkpoints.list(tenant))
      .map((c) => parseCheckpointText(openNote(c.note, vkey)))
      // A checkpoint of the empty log proves nothing to extend (RFC 9162 consistency starts at size 1).
      .filter((c) => c.size > 0);
    expect(signed.length).toBeGreaterThan(1);
    expect(signed.at(-1)!.size).toBe(120);
    for (let i = 1; i < signed.length; i += 1) {
      const [older, newer] = [signed[i - 1]!, signed[i]!];
      const proof = (await auditLog.consistencyProof(tenant, older.size, newer.size)).map((h) =>
        Buffer.from(h, 'base64'),
      );
      expect(
        verifyConsistency(older.size, newer.size, proof, older.rootHash, newer.rootHash),
        `${older.size}→${newer.size}`,
      ).toBe(true);
    }
    expect(await auditLog.verify(tenant)).toMatchObject({ valid: true, entries: 120, checkpoint: { size: 120 } });
  });
});
