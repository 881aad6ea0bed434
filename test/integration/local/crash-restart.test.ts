/**
 * Crash safety of local mode (issue 9): SIGKILL in the middle of a write burst, then a restart on the same data
 * directory. Everything the API acknowledged before the kill survives: agents, certificates, revocations (and their
 * CRL entries), nonces (a replay is still refused) and audit entries (the hash chain verifies and holds them), and CRL
 * numbers keep increasing. Requests cut off by the kill may or may not have taken effect; only acknowledged ones count.
 */
import { rmSync } from 'node:fs';
import { X509Crl } from '@peculiar/x509';
import { afterAll, describe, expect, it } from 'vitest';
import { createDynamoStores } from '../../../src/adapters/aws/dynamo/index.js';
import { startEmulators } from '../../../src/adapters/local/emulators.js';
import { type Call, client, str } from './api-client.js';
import { type DevProcess, newAdminKey, startDevProcess } from './dev-process.js';
import { opensslCsr, scratchDir } from './openssl.js';
import { signEnvelope } from './sign-locally.js';

const dataDir = scratchDir('kakunin-it-crash-');
const work = scratchDir('kakunin-it-crash-key-');
const adminKey = newAdminKey();
const running: DevProcess[] = [];

afterAll(async () => {
  for (const dev of running) await dev.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

async function start(): Promise<{ dev: DevProcess; admin: Call }> {
  const dev = await startDevProcess({ dataDir, adminKey });
  running.push(dev);
  return { dev, admin: client(dev.url, adminKey) };
}

function crlNumberOf(der: Uint8Array): bigint {
  const extension = new X509Crl(new Uint8Array(der)).getExtension('2.5.29.20');
  if (!extension) throw new Error('CRL without a CRL number');
  return BigInt(`0x${Buffer.from(extension.value).toString('hex').slice(4)}`);
}

const serialsOf = (der: Uint8Array) =>
  new X509Crl(new Uint8Array(der)).entries.map((e) => e.serialNumber.toLowerCase());

describe('kakunin dev after SIGKILL during a write burst', () => {
  it('keeps every acknowledged agent, certificate, revocation, CRL entry, nonce and audit entry', async () => {
    const { keyPem, csrPem } = opensslCsr(work, 'crash');
    const first = await start();
    const owner = str((await first.admin('POST', '/v1/agents', { name: 'crash-owner' })).body, 'id');
    const issue = async (admin: Call) => {
      const issued = await admin('POST', `/v1/agents/${owner}/certificates`, { scope: {}, csr: csrPem });
      expect(issued.status).toBe(201);
      return { fingerprint: str(issued.body, 'fingerprint'), serial: str(issued.body, 'serialNumber').toLowerCase() };
    };
    const signing = await issue(first.admin);
    const toRevoke = await Promise.all(Array.from({ length: 12 }, () => issue(first.admin)));
    const crlNumbersSeen: bigint[] = [crlNumberOf((await first.admin('GET', '/v1/crl')).bytes)];

    const acked = {
      agents: [] as string[],
      certificates: [] as string[],
      revocations: [] as { fingerprint: string; serial: string }[],
      nonces: [] as { envelope: ReturnType<typeof signEnvelope>; auditId: string }[],
    };
    // Eight clients write concurrently; once enough writes are acknowledged, the server is killed mid-burst.
    let killed = false;
    let next = 0;
    const ackedCount = () =>
      acked.agents.length + acked.certificates.length + acked.revocations.length + acked.nonces.length;
    const step = async (i: number): Promise<void> => {
      const kind = i % 5;
      if (kind === 0) {
        const r = await first.admin('POST', '/v1/agents', { name: `crash-${i}` });
        if (r.status === 201) acked.agents.push(str(r.body, 'id'));
      } else if (kind === 1) {
        const r = await first.admin('POST', `/v1/agents/${owner}/certificates`, { scope: {}, csr: csrPem });
        if (r.status === 201) acked.certificates.push(str(r.body, 'fingerprint'));
      } else if (kind === 2 && toRevoke.length > 0) {
        const target = toRevoke.shift() as { fingerprint: string; serial: string };
        const r = await first.admin('POST', `/v1/certificates/${target.fingerprint}/revoke`, { reason: 'superseded' });
        if (r.status === 200) acked.revocations.push(target);
      } else if (kind === 3) {
        const r = await first.admin('GET', '/v1/crl');
        if (r.status === 200) crlNumbersSeen.push(crlNumberOf(r.bytes));
      } else {
        const envelope = signEnvelope(keyPem, signing.fingerprint, { action: 'burst', n: i });
        const r = await first.admin('POST', '/v1/actions/verify', envelope);
        if (r.status === 200) acked.nonces.push({ envelope, auditId: str(r.body, 'auditId') });
      }
    };
    const worker = async () => {
      while (!killed) {
        next += 1;
        await step(next).catch(() => undefined); // a request cut off by the kill: not acknowledged
      }
    };
    const workers = Array.from({ length: 8 }, () => worker());
    const deadline = Date.now() + 20_000;
    while (ackedCount() < 30 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    // No graceful shutdown, no flush, no closing of LevelDB: requests are in flight right now.
    first.dev.child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    expect(await first.dev.stop()).toBeNull(); // killed, not exited
    const total = acked.agents.length + acked.certificates.length + acked.revocations.length + acked.nonces.length;
    expect(total).toBeGreaterThan(0);

    const second = await start();
    for (const id of acked.agents) expect((await second.admin('GET', `/v1/agents/${id}`)).status, id).toBe(200);
    for (const fingerprint of acked.certificates) {
      expect((await second.admin('GET', `/v1/certificates/${fingerprint}`)).status).toBe(200);
    }
    const crl = await second.admin('GET', '/v1/crl');
    expect(crl.status).toBe(200);
    const listed = serialsOf(crl.bytes);
    for (const { fingerprint, serial } of acked.revocations) {
      expect((await second.admin('GET', `/v1/certificates/${fingerprint}`)).body).toMatchObject({ status: 'revoked' });
      expect(listed).toContain(serial);
    }
    for (const { envelope } of acked.nonces) {
      const replay = await second.admin('POST', '/v1/actions/verify', envelope);
      expect(replay.body).toMatchObject({ verified: false, error: { code: 'REPLAY_DETECTED' } });
    }
    // CRL numbers keep increasing: a revocation after the restart publishes a CRL numbered above every one seen.
    const late = await issue(second.admin);
    expect(
      (await second.admin('POST', `/v1/certificates/${late.fingerprint}/revoke`, { reason: 'superseded' })).status,
    ).toBe(200);
    const after = await second.admin('GET', '/v1/crl');
    let highestBefore = 0n;
    for (const n of crlNumbersSeen) if (n > highestBefore) highestBefore = n;
    expect(crlNumberOf(after.bytes) > highestBefore).toBe(true);
    expect(serialsOf(after.bytes)).toContain(late.serial);
    expect(await second.dev.stop('SIGTERM')).toBe(0);

    const emulators = await startEmulators({ dataDir });
    try {
      const { ledger } = createDynamoStores(emulators.doc, emulators.tableNames);
      expect(await ledger.verify('local')).toMatchObject({ valid: true });
      const entries = (await ledger.list('local', { limit: 1_000 })).items;
      const ids = new Set(entries.map((e) => e.id));
      for (const { auditId } of acked.nonces) expect(ids.has(auditId), auditId).toBe(true);
      const revokedEntries = new Set(
        entries.filter((e) => e.type === 'certificate.revoked').map((e) => e.certificateFingerprint),
      );
      for (const { fingerprint } of acked.revocations) expect(revokedEntries.has(fingerprint)).toBe(true);
    } finally {
      await emulators.stop();
    }
  }, 180_000);
});
