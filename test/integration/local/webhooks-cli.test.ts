/**
 * `kakunin webhooks replay <id>` end to end in local mode: a receiver that fails, an event whose delivery is still
 * being retried when `kakunin dev` stops (kept as a dead letter), a restart, the receiver back, and the command run as
 * a user runs it delivers the dead letter, signed as on the first attempt, and exits 0. Also `webhooks list`, and the
 * command's refusals: an id that could leave its route (`..`) is a usage error before any request, an unknown id 404.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../../packages/sdk/src/index.js';
import { type Call, client, str } from './api-client.js';
import { type DevProcess, KAKUNIN_BIN, newAdminKey, REPO_ROOT, startDevProcess } from './dev-process.js';
import { scratchDir } from './openssl.js';

const dataDir = scratchDir('kakunin-it-webhooks-cli-');
const adminKey = newAdminKey();
let dev: DevProcess;
let admin: Call;
let receiver: Server;
let receiverStatus = 500;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let hook: { id: string; secret: string };

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = receiverStatus;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  dev = await startDevProcess({ dataDir, adminKey });
  admin = client(dev.url, adminKey);
  const created = await admin('POST', '/v1/webhooks', { url: receiverUrl, eventTypes: ['certificate.issued'] });
  expect(created.status).toBe(201);
  hook = { id: str(created.body, 'id'), secret: str(created.body, 'secret') };
  const agent = await admin('POST', '/v1/agents', { name: 'webhooks.cli' });
  const issued = await admin('POST', `/v1/agents/${str(agent.body, 'id')}/certificates`, {
    validityDays: 1,
    keySpec: 'ECC_NIST_P256',
    scope: { maxTransactionSize: 100, allowedActions: ['pay'] },
  });
  expect(issued.status).toBe(201);
  // The first attempt fails (500); the retry is 5 s away, so stopping now leaves the delivery pending.
  const deadline = Date.now() + 10_000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(received).toHaveLength(1);
  expect(await dev.stop()).toBe(0);
  dev = await startDevProcess({ dataDir, adminKey });
  admin = client(dev.url, adminKey);
}, 120_000);

afterAll(async () => {
  expect(await dev?.stop()).toBe(0);
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.KAKUNIN_API_KEY;
    const child = spawn(process.execPath, [KAKUNIN_BIN, ...args], { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('kakunin webhooks', () => {
  it('lists the webhook without its secret', async () => {
    const run = await runCli(['webhooks', 'list', '--url', dev.url, '--api-key', adminKey]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(hook.id);
    expect(run.stdout).toContain('certificate.issued');
    expect(run.stdout).not.toContain('whsec_');
  });

  it('reports a replay that still fails with exit 1, the dead letter kept', async () => {
    const run = await runCli(['webhooks', 'replay', hook.id, '--url', dev.url, '--api-key', adminKey]);
    expect(run.stdout.trim()).toBe('delivered 0, failed 1, remaining 1');
    expect(run.code).toBe(1);
  });

  it('delivers the dead letter once the receiver is back, signed with the webhook secret, and exits 0', async () => {
    receiverStatus = 204;
    const before = received.length;
    const run = await runCli(['webhooks', 'replay', hook.id, '--url', dev.url, '--api-key', adminKey]);
    expect(run.stdout.trim()).toBe('delivered 1, failed 0, remaining 0');
    expect(run.code).toBe(0);
    const delivery = received.at(-1)!;
    expect(received.length).toBe(before + 1);
    const event = await verifyWebhook(hook.secret, delivery.headers as Record<string, string>, delivery.body);
    expect(event.type).toBe('certificate.issued');
    // The same event id as the first, failed attempt: a receiver deduplicates on it.
    expect(delivery.headers['webhook-id']).toBe(received[0]!.headers['webhook-id']);
    const audit = await admin('GET', '/v1/audit?type=webhook.replayed');
    expect((audit.body as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses an id that could leave its route before any request, and answers an unknown one 404', async () => {
    for (const id of ['..', '../../v1/agents', 'wh_x']) {
      const run = await runCli(['webhooks', 'replay', id, '--url', dev.url, '--api-key', adminKey]);
      expect(run.code, id).toBe(2);
      expect(run.stderr).toContain('one webhook id');
    }
    const unknown = await runCli([
      'webhooks',
      'replay',
      'wh_00000000000000000000',
      '--url',
      dev.url,
      '--api-key',
      adminKey,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('404 NOT_FOUND');
    const keyless = await runCli(['webhooks', 'replay', hook.id, '--url', dev.url]);
    expect(keyless.code).toBe(2);
  });
});
