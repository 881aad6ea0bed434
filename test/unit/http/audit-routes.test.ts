/**
 * The audit routes over in-memory ports (docs/api.md §7): listing with filters and a tamper-proof cursor, JSON Lines
 * export, signed checkpoints that open with the published verifier key, inclusion and consistency proofs that verify
 * against them, the full verification, and who may call what.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { canonicalString } from '../../../src/core/canonical-json.js';
import { parseCheckpointText } from '../../../src/core/ledger/checkpoint.js';
import { leafHash } from '../../../src/core/ledger/merkle.js';
import { verifyConsistency, verifyInclusion } from '../../../src/core/ledger/proofs.js';
import { openNote, parseVerifierKey } from '../../../src/core/ledger/signed-note.js';
import { createTestApi, START, type TestApi } from './harness.js';

let api: TestApi;
let admin: string;

const b = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

beforeEach(async () => {
  api = await createTestApi();
  admin = await api.key('t1', 'admin');
  for (const name of ['alpha', 'beta', 'gamma']) {
    const created = await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name } });
    expect(created.status).toBe(201);
    api.clock.set(api.clock.now() + 1_000);
  }
});

async function signed() {
  const key = await api.call({ method: 'GET', path: '/v1/audit/checkpoint/key', key: admin });
  const note = await api.call({ method: 'GET', path: '/v1/audit/checkpoint', key: admin });
  expect(note.headers['content-type']).toMatch(/^text\/plain/);
  const checkpoint = parseCheckpointText(openNote(note.text, parseVerifierKey(key.text)));
  return { vkey: key.text.trim(), note: note.text, checkpoint };
}

describe('GET /v1/audit', () => {
  it('lists oldest first from seq 0, filters by type, actorId and time, pages with a cursor', async () => {
    const all = await api.call({ method: 'GET', path: '/v1/audit', key: admin });
    expect(all.status).toBe(200);
    const items = all.json.items as { seq: number; type: string; actorId: string; createdAt: string }[];
    expect(items.map((e) => e.seq)).toEqual(items.map((_, i) => i));
    expect(items.filter((e) => e.type === 'agent.created')).toHaveLength(3);
    const created = await api.call({ method: 'GET', path: '/v1/audit', key: admin, query: { type: 'agent.created' } });
    expect(created.json.items.map((e: { type: string }) => e.type)).toEqual(Array(3).fill('agent.created'));
    const actor = created.json.items[1].actorId as string;
    const byActor = await api.call({ method: 'GET', path: '/v1/audit', key: admin, query: { actorId: actor } });
    expect(byActor.json.items.every((e: { actorId: string }) => e.actorId === actor)).toBe(true);
    const window = await api.call({
      method: 'GET',
      path: '/v1/audit',
      key: admin,
      query: { from: new Date(START + 1_000).toISOString(), to: String(START + 1_000), type: 'agent.created' },
    });
    expect(window.json.items).toHaveLength(1);
    const first = await api.call({ method: 'GET', path: '/v1/audit', key: admin, query: { limit: '2' } });
    const rest = await api.call({
      method: 'GET',
      path: '/v1/audit',
      key: admin,
      query: { limit: '100', cursor: first.json.nextCursor },
    });
    expect([...first.json.items, ...rest.json.items]).toEqual(items);
  });

  it('refuses unknown types, bad times, bad limits and forged or foreign cursors with 400, other roles with 403', async () => {
    const bad: Record<string, string>[] = [
      { type: 'agent.exploded' },
      { from: 'yesterday' },
      { limit: '0' },
      { cursor: 'abc' },
      { x: '1' },
    ];
    for (const query of bad) {
      const answer = await api.call({ method: 'GET', path: '/v1/audit', key: admin, query });
      expect(answer.status, JSON.stringify(query)).toBe(400);
      expect(answer.json.error.code).toBe('INVALID_REQUEST');
    }
    const otherAdmin = await api.key('t2', 'admin');
    await api.call({ method: 'POST', path: '/v1/agents', key: otherAdmin, body: { name: 'other' } });
    await api.call({ method: 'POST', path: '/v1/agents', key: otherAdmin, body: { name: 'other2' } });
    const page = await api.call({ method: 'GET', path: '/v1/audit', key: admin, query: { limit: '1' } });
    const foreign = await api.call({
      method: 'GET',
      path: '/v1/audit',
      key: otherAdmin,
      query: { limit: '1', cursor: page.json.nextCursor },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.json.error.field).toBe('cursor');
    const verifier = await api.key('t1', 'verifier');
    for (const path of ['/v1/audit', '/v1/audit/verify', '/v1/audit/checkpoint', '/v1/audit/export']) {
      expect((await api.call({ method: 'GET', path, key: verifier })).status, path).toBe(403);
    }
    expect((await api.call({ method: 'GET', path: '/v1/audit' })).status).toBe(401);
  });
});

describe('export, checkpoints and proofs', () => {
  it('exports JSON Lines whose lines are the listed items in JCS form', async () => {
    const list = await api.call({ method: 'GET', path: '/v1/audit', key: admin });
    const exported = await api.call({ method: 'GET', path: '/v1/audit/export', key: admin });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = exported.text.trimEnd().split('\n');
    expect(lines).toEqual(list.json.items.map((item: unknown) => canonicalString(item)));
    const ranged = await api.call({
      method: 'GET',
      path: '/v1/audit/export',
      key: admin,
      query: { from: String(START + 2_000), to: new Date(START + 2_000).toISOString() },
    });
    expect(
      ranged.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['agent.created']);
  });

  it('signs a checkpoint of every entry, announces it, and proves each entry included', async () => {
    const { checkpoint, note } = await signed();
    expect(checkpoint.origin).toBe('127.0.0.1:8787/kakunin/t1');
    const list = await api.call({ method: 'GET', path: '/v1/audit', key: admin });
    expect(checkpoint.size).toBe(list.json.items.length);
    const event = api.ports.events.published.find((e) => e.type === 'ledger.checkpoint_published');
    expect(event?.data).toMatchObject({ tree_size: checkpoint.size, checkpoint: note });
    for (const item of list.json.items as { id: string; seq: number }[]) {
      const proof = await api.call({ method: 'GET', path: `/v1/audit/${item.id}/proof`, key: admin });
      expect(proof.status).toBe(200);
      expect(proof.json).toMatchObject({ entry: item, index: item.seq, treeSize: checkpoint.size, checkpoint: note });
      const ok = verifyInclusion(
        leafHash(canonicalString(proof.json.entry)),
        item.seq,
        checkpoint.size,
        proof.json.inclusionProof.map(b),
        checkpoint.rootHash,
      );
      expect(ok, item.id).toBe(true);
    }
    const missing = await api.call({
      method: 'GET',
      path: '/v1/audit/aud_00000000000000ff0123456789abcdef/proof',
      key: admin,
    });
    expect(missing.status).toBe(404);
    const badSize = await api.call({
      method: 'GET',
      path: `/v1/audit/${list.json.items[0].id}/proof`,
      key: admin,
      query: { treeSize: '2' },
    });
    expect(badSize.status).toBe(400);
  });

  it('a later checkpoint is consistent with an earlier one; bad sizes are 400', async () => {
    const older = (await signed()).checkpoint;
    api.clock.set(api.clock.now() + 61_000);
    await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'delta' } });
    const newer = (await signed()).checkpoint;
    expect(newer.size).toBeGreaterThan(older.size);
    const answer = await api.call({
      method: 'GET',
      path: '/v1/audit/consistency',
      key: admin,
      query: { from: String(older.size), to: String(newer.size) },
    });
    expect(answer.json).toMatchObject({ from: older.size, to: newer.size });
    const proof = answer.json.consistencyProof.map(b);
    expect(verifyConsistency(older.size, newer.size, proof, older.rootHash, newer.rootHash)).toBe(true);
    const bad: Record<string, string>[] = [
      { from: '0', to: '2' },
      { from: '3', to: '2' },
      { from: '1', to: '999' },
      { from: '1' },
    ];
    for (const query of bad) {
      expect((await api.call({ method: 'GET', path: '/v1/audit/consistency', key: admin, query })).status).toBe(400);
    }
  });

  it('GET /v1/audit/verify checks the stored log against the signed checkpoints', async () => {
    await signed();
    const ok = await api.call({ method: 'GET', path: '/v1/audit/verify', key: admin });
    expect(ok.json).toMatchObject({ valid: true, checkpoint: { size: ok.json.entries } });
    const chain = api.ports.ledger.rawChain('t1');
    chain[1] = { ...chain[1]!, actorId: 'someone-else' };
    const broken = await api.call({ method: 'GET', path: '/v1/audit/verify', key: admin });
    expect(broken.json).toMatchObject({ valid: false, firstInvalidSeq: 1 });
  });
});
