/**
 * Durability of local mode (contract §9): SIGTERM stops `kakunin dev` cleanly (exit 0), and a new process on the
 * same data directory keeps every agent, certificate, key, nonce, velocity counter, API key and audit entry.
 * The ledger is finally read straight from the data directory, with the emulators, to check its hash chain.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createDynamoStores } from '../../../src/adapters/aws/dynamo/index.js';
import { startEmulators } from '../../../src/adapters/local/emulators.js';
import { type Call, client, str } from './api-client.js';
import { type DevProcess, newAdminKey, startDevProcess } from './dev-process.js';
import { scratchDir } from './openssl.js';

const CHARGE = { action: 'charge', amount: 100, currency: 'EUR', counterparty: 'stripe' };
const dataDir = scratchDir('kakunin-it-restart-');
const adminKey = newAdminKey();
const running: DevProcess[] = [];
const startups: number[] = [];

afterAll(async () => {
  process.stdout.write(`kakunin dev startup to healthy /health (ms): ${startups.join(', ')}\n`);
  for (const dev of running) await dev.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(withAdminKey = true): Promise<{ dev: DevProcess; admin: Call }> {
  const dev = await startDevProcess({ dataDir, ...(withAdminKey ? { adminKey } : {}) });
  running.push(dev);
  startups.push(Math.round(dev.startupMs));
  return { dev, admin: client(dev.url, adminKey) };
}

async function stop(dev: DevProcess): Promise<void> {
  expect(await dev.stop('SIGTERM')).toBe(0);
  expect(dev.output().stdout).toContain('stopped');
}

describe('kakunin dev restart on the same data directory', () => {
  it('keeps agents, certificates, keys, nonces, counters, API keys and the audit chain', async () => {
    const first = await start();
    const agent = await first.admin('POST', '/v1/agents', { name: 'durable-agent', metadata: { v: 1 } });
    expect(agent.status).toBe(201);
    const agentId = str(agent.body, 'id');
    const cert = await first.admin('POST', `/v1/agents/${agentId}/certificates`, {
      scope: { allowedActions: ['charge'], currency: 'EUR', maxTransactionsPerHour: 2, maxTransactionSize: 1_000 },
    });
    expect(cert.status).toBe(201);
    const fingerprint = str(cert.body, 'fingerprint');
    const sign = async (admin: Call) => {
      const signed = await admin('POST', `/v1/agents/${agentId}/sign`, {
        payload: CHARGE,
        certificateFingerprint: fingerprint,
      });
      expect(signed.status).toBe(200);
      return signed.body;
    };
    const used = await sign(first.admin);
    expect((await first.admin('POST', '/v1/actions/verify', used)).body).toMatchObject({ verified: true });
    const signedBeforeRestart = await sign(first.admin);
    const verifierKey = str((await first.admin('POST', '/v1/api-keys', { role: 'verifier' })).body, 'key');
    const chainBefore = (await first.admin('GET', '/v1/ca/chain')).text;
    await stop(first.dev);

    const second = await start();
    expect(await second.dev.waitForStdout('Stop with Ctrl-C')).not.toContain('shown once');
    expect(await second.admin('GET', `/v1/agents/${agentId}`)).toMatchObject({
      status: 200,
      body: { id: agentId, name: 'durable-agent', metadata: { v: 1 } },
    });
    expect(await second.admin('GET', `/v1/certificates/${fingerprint}`)).toMatchObject({
      status: 200,
      body: { valid: true, status: 'active', agentId },
    });
    expect((await second.admin('GET', '/v1/ca/chain')).text).toBe(chainBefore);
    // The nonce survived: the envelope verified before the restart is still a replay.
    const replay = await second.admin('POST', '/v1/actions/verify', used);
    expect(replay).toMatchObject({ status: 403, body: { error: { code: 'REPLAY_DETECTED' } } });
    // The velocity counter survived: one of two hourly transactions was used before the restart.
    const verifier = client(second.dev.url, verifierKey);
    expect((await verifier('POST', '/v1/actions/verify', signedBeforeRestart)).body).toMatchObject({ verified: true });
    // The agent's key survived: the service still signs with it.
    const third = await second.admin('POST', '/v1/actions/verify', await sign(second.admin));
    expect(third).toMatchObject({ status: 403, body: { error: { code: 'VELOCITY_LIMIT_EXCEEDED' } } });
    await stop(second.dev);

    // Started without KAKUNIN_API_KEY, it prints a new admin key, and the earlier keys still work.
    const fresh = await start(false);
    const banner = await fresh.dev.waitForStdout('Stop with Ctrl-C');
    const printed = /shown once[^:]*: (\S+)/.exec(banner)?.[1];
    expect(printed).toMatch(/^kk_[A-Za-z0-9_-]{43}$/);
    expect((await client(fresh.dev.url, printed)('GET', `/v1/agents/${agentId}`)).status).toBe(200);
    expect((await fresh.admin('GET', `/v1/agents/${agentId}`)).status).toBe(200);
    await stop(fresh.dev);

    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const emulators = await startEmulators({ dataDir });
    try {
      const { ledger } = createDynamoStores(emulators.doc, emulators.tableNames);
      const check = await ledger.verify('local');
      expect(check).toMatchObject({ valid: true });
      const entries = (await ledger.list('local', { limit: 1_000 })).items;
      const verifications = entries.filter(
        (e) =>
          e.certificateFingerprint === fingerprint && (e.type === 'action.verified' || e.type === 'action.rejected'),
      );
      expect(verifications.map((e) => e.errorCode ?? 'ok')).toEqual([
        'ok',
        'REPLAY_DETECTED',
        'ok',
        'VELOCITY_LIMIT_EXCEEDED',
      ]);
      // Every envelope the service signed was audited before it was handed out: each verified nonce has its entry.
      const signedNonces = new Set(
        entries
          .filter((e) => e.type === 'action.signed' && e.certificateFingerprint === fingerprint)
          .map((e) => e.nonce),
      );
      for (const verification of verifications) expect(signedNonces.has(verification.nonce)).toBe(true);
      expect(entries.some((e) => e.type === 'certificate.issued' && e.certificateFingerprint === fingerprint)).toBe(
        true,
      );
    } finally {
      await emulators.stop();
    }
  }, 120_000);
});
