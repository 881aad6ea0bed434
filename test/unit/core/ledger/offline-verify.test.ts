/**
 * `kakunin audit verify`'s checks, offline with only the verifier key: an export against a signed checkpoint, naming
 * the first line that fails (altered, removed, reordered, spliced, or a whole tail rewritten with recomputed hashes),
 * and the consistency of two checkpoints.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { canonicalString } from '../../../../src/core/canonical-json.js';
import { verifyCheckpointConsistency, verifyExport } from '../../../../src/core/ledger/offline-verify.js';
import { sealEntry } from '../../../../src/core/ledger-hash.js';
import type { AuditEntry } from '../../../../src/core/model.js';
import { createTestApi, type TestApi } from '../../http/harness.js';

let api: TestApi;
let admin: string;

async function get(path: string, query?: Record<string, string>) {
  return api.call({ method: 'GET', path, key: admin, ...(query === undefined ? {} : { query }) });
}

beforeEach(async () => {
  api = await createTestApi();
  admin = await api.key('t1', 'admin');
  for (let i = 0; i < 12; i += 1) {
    await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: `agent-${i}` } });
  }
});

describe('offline export verification', () => {
  it('verifies an untouched export and names the first failing line of each kind of tampering', async () => {
    const vkey = (await get('/v1/audit/checkpoint/key')).text;
    const note = (await get('/v1/audit/checkpoint')).text;
    const lines = (await get('/v1/audit/export')).text.trimEnd().split('\n');
    expect(verifyExport(vkey, note, lines)).toMatchObject({ ok: true });

    const altered = [...lines];
    altered[4] = canonicalString({ ...(JSON.parse(altered[4]!) as AuditEntry), actorId: 'someone-else' });
    expect(verifyExport(vkey, note, altered).message).toMatch(/^line 5 \(seq 4\): hash does not match/);
    expect(
      verifyExport(
        vkey,
        note,
        lines.filter((_, i) => i !== 6),
      ).message,
    ).toMatch(/^line 7 \(seq 7\): expected seq 6/);
    const reordered = [...lines];
    [reordered[2], reordered[3]] = [reordered[3]!, reordered[2]!];
    expect(verifyExport(vkey, note, reordered).message).toMatch(/^line 3 \(seq 3\): expected seq 2/);

    // A tail rewritten with recomputed hashes: every line is consistent, the signed root is not.
    const rewritten = lines.slice(0, 5);
    let prevHash = (JSON.parse(lines[4]!) as AuditEntry).hash;
    for (const line of lines.slice(5)) {
      const { hash: _old, ...entry } = JSON.parse(line) as AuditEntry;
      const sealed = sealEntry({ ...entry, actorId: 'rewritten', prevHash });
      rewritten.push(canonicalString(sealed));
      prevHash = sealed.hash;
    }
    expect(verifyExport(vkey, note, rewritten).message).toMatch(/do not produce the root signed in the checkpoint/);
    expect(verifyExport(vkey, note.replace('kakunin/t1', 'kakunin/t2'), lines).ok).toBe(false);
    expect(verifyExport(vkey, note, lines.slice(0, 3)).message).toMatch(/the export ends at seq 2/);
  });

  it('checks that a newer checkpoint extends an older one', async () => {
    const vkey = (await get('/v1/audit/checkpoint/key')).text;
    const older = (await get('/v1/audit/checkpoint')).text;
    api.clock.set(api.clock.now() + 61_000);
    await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'later' } });
    const newer = (await get('/v1/audit/checkpoint')).text;
    const sizeOf = (n: string) => n.split('\n')[1]!;
    const proof = (await get('/v1/audit/consistency', { from: sizeOf(older), to: sizeOf(newer) })).text;
    expect(verifyCheckpointConsistency(vkey, older, newer, proof)).toMatchObject({ ok: true });
    const forged = JSON.parse(proof) as { consistencyProof: string[] };
    forged.consistencyProof[0] = Buffer.alloc(32).toString('base64');
    expect(verifyCheckpointConsistency(vkey, older, newer, JSON.stringify(forged))).toMatchObject({ ok: false });
    expect(verifyCheckpointConsistency(vkey, newer, older, proof).ok).toBe(false);
  });
});
