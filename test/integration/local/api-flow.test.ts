/**
 * `kakunin dev` over real HTTP, started as a child process exactly as a user starts it: the full certificate and
 * action flow, role checks, the single tenant's isolation between agents, bad inputs, openssl over the issued chain
 * and the CRL, and `kakunin demo` against the running server.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_SCOPE } from '../../../src/local/demo-story.js';
import { type Call, client, str } from './api-client.js';
import { type DevProcess, KAKUNIN_BIN, newAdminKey, REPO_ROOT, startDevProcess } from './dev-process.js';
import { opensslCsr, opensslVerify, scratchDir } from './openssl.js';
import { signEnvelope } from './sign-locally.js';

/** The seed guide's scope, as the demo uses it. */
const SCOPE = SEED_SCOPE;
const CHARGE = { action: 'charge', amount: 9_900, currency: 'EUR', counterparty: 'stripe', region: 'eu-west-1' };

const dataDir = scratchDir('kakunin-it-flow-');
const work = scratchDir('kakunin-it-openssl-');
const adminKey = newAdminKey();
let dev: DevProcess;
let admin: Call;
let anonymous: Call;

beforeAll(async () => {
  dev = await startDevProcess({ dataDir, adminKey });
  admin = client(dev.url, adminKey);
  anonymous = client(dev.url);
});

afterAll(async () => {
  const code = await dev?.stop();
  expect(code).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

async function newAgent(call: Call, name: string): Promise<string> {
  const created = await call('POST', '/v1/agents', { name, metadata: { version: '3.1.0' } });
  expect(created.status).toBe(201);
  return str(created.body, 'id');
}

async function newCertificate(call: Call, agentId: string, extra: Record<string, unknown> = {}) {
  const issued = await call('POST', `/v1/agents/${agentId}/certificates`, { scope: SCOPE, ...extra });
  expect(issued.status).toBe(201);
  return issued.body;
}

describe('kakunin dev: the full flow', () => {
  it('answers /health without a key', async () => {
    const health = await anonymous('GET', '/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('agent → service-held key certificate → sign → verify → replay → revoke → refused; chain and CRL pass openssl', async () => {
    const agentId = await newAgent(admin, 'payment-processor-eu-v3');
    expect(agentId).toMatch(/^a_[0-9a-z]{16,}$/);
    const cert = await newCertificate(admin, agentId, { keySpec: 'ECC_NIST_P256', validityDays: 365 });
    const fingerprint = str(cert, 'fingerprint');
    expect(cert).toMatchObject({ agentId, scope: SCOPE, keyRef: expect.any(String) });

    const chain = await anonymous('GET', '/v1/ca/chain');
    expect(chain.status).toBe(200);
    expect(chain.headers.get('content-type')).toContain('application/x-pem-file');
    expect(chain.text).toBe(str(cert, 'chainPem'));
    const valid = opensslVerify(work, chain.text, str(cert, 'pem'));
    expect(valid.output).toContain('OK');
    expect(valid.ok).toBe(true);

    const sign = async (payload: object) => {
      const signed = await admin('POST', `/v1/agents/${agentId}/sign`, {
        payload,
        certificateFingerprint: fingerprint,
      });
      expect(signed.status).toBe(200);
      return signed.body;
    };
    const charge = await sign(CHARGE);
    const verified = await admin('POST', '/v1/actions/verify', charge);
    expect(verified).toMatchObject({ status: 200, body: { verified: true, agentId, fingerprint } });
    const replay = await admin('POST', '/v1/actions/verify', charge);
    expect(replay).toMatchObject({ status: 403, body: { verified: false, error: { code: 'REPLAY_DETECTED' } } });
    const tooBig = await admin('POST', '/v1/actions/verify', await sign({ ...CHARGE, amount: 50_000 }));
    expect(tooBig).toMatchObject({ status: 403, body: { error: { code: 'SCOPE_VIOLATION' } } });

    const pending = await sign({ ...CHARGE, counterparty: 'revolut' });
    const revoked = await admin('POST', `/v1/certificates/${fingerprint}/revoke`, { reason: 'keyCompromise' });
    expect(revoked).toMatchObject({ status: 200, body: { status: 'revoked', revokedAt: expect.any(String) } });
    const refused = await admin('POST', '/v1/actions/verify', pending);
    expect(refused).toMatchObject({ status: 403, body: { verified: false, error: { code: 'CERTIFICATE_REVOKED' } } });
    const state = await admin('GET', `/v1/certificates/${fingerprint}`);
    expect(state).toMatchObject({ status: 200, body: { valid: false, status: 'revoked', reason: 'revoked' } });

    const crl = await anonymous('GET', '/v1/crl');
    expect(crl.status).toBe(200);
    expect(crl.headers.get('content-type')).toBe('application/pkix-crl');
    expect(crl.bytes[0]).toBe(0x30); // DER SEQUENCE, not base64 text
    const afterRevocation = opensslVerify(work, chain.text, str(cert, 'pem'), crl.bytes);
    expect(afterRevocation.ok).toBe(false);
    expect(afterRevocation.output).toContain('certificate revoked');
  });

  it('issues for a CSR, and verifies an envelope the agent signed with its own key', async () => {
    const agentId = await newAgent(admin, 'csr-agent');
    const { csrPem, keyPem } = opensslCsr(work, 'csr-agent');
    const cert = await newCertificate(admin, agentId, { csr: csrPem, validityHours: 2 });
    expect(cert).not.toHaveProperty('keyRef');
    const fingerprint = str(cert, 'fingerprint');
    const crl = await anonymous('GET', '/v1/crl');
    const chain = await anonymous('GET', '/v1/ca/chain');
    expect(opensslVerify(work, chain.text, str(cert, 'pem'), crl.bytes).ok).toBe(true);

    const envelope = signEnvelope(keyPem, fingerprint, CHARGE);
    const verified = await admin('POST', '/v1/actions/verify', envelope);
    expect(verified).toMatchObject({ status: 200, body: { verified: true, agentId } });
    const tampered = signEnvelope(keyPem, fingerprint, CHARGE);
    const forged = await admin('POST', '/v1/actions/verify', { ...tampered, payload: { ...CHARGE, amount: 1 } });
    expect(forged).toMatchObject({ status: 403, body: { error: { code: 'SIGNATURE_INVALID' } } });
  });
});

describe('kakunin dev: keys and roles', () => {
  let agentA: string;
  let agentB: string;
  let fingerprintB: string;
  let verifier: Call;
  let agentKeyA: Call;

  beforeAll(async () => {
    agentA = await newAgent(admin, 'role-agent-a');
    agentB = await newAgent(admin, 'role-agent-b');
    fingerprintB = str(await newCertificate(admin, agentB), 'fingerprint');
    const v = await admin('POST', '/v1/api-keys', { role: 'verifier' });
    expect(v).toMatchObject({ status: 201, body: { role: 'verifier', key: expect.any(String) } });
    verifier = client(dev.url, str(v.body, 'key'));
    const a = await admin('POST', '/v1/api-keys', { role: 'agent', agentId: agentA });
    expect(a).toMatchObject({ status: 201, body: { role: 'agent', agentId: agentA } });
    agentKeyA = client(dev.url, str(a.body, 'key'));
  });

  it('a verifier key verifies and reads certificates, and nothing else', async () => {
    expect((await verifier('GET', `/v1/certificates/${fingerprintB}`)).status).toBe(200);
    const signed = await admin('POST', `/v1/agents/${agentB}/sign`, {
      payload: CHARGE,
      certificateFingerprint: fingerprintB,
    });
    expect((await verifier('POST', '/v1/actions/verify', signed.body)).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/v1/agents', { name: 'nope' }],
      ['GET', '/v1/agents', undefined],
      ['POST', `/v1/agents/${agentB}/sign`, { payload: CHARGE, certificateFingerprint: fingerprintB }],
      ['POST', `/v1/certificates/${fingerprintB}/revoke`, { reason: 'unspecified' }],
      ['POST', '/v1/api-keys', { role: 'admin' }],
    ] as const) {
      const denied = await verifier(method, path, body);
      expect(denied, `${method} ${path}`).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    }
  });

  it('an agent key cannot touch another agent: no reading, signing or certifying for it', async () => {
    for (const [method, path, body] of [
      ['GET', `/v1/agents/${agentB}`, undefined],
      ['POST', `/v1/agents/${agentB}/sign`, { payload: CHARGE, certificateFingerprint: fingerprintB }],
      ['POST', `/v1/agents/${agentB}/certificates`, { scope: {} }],
      ['POST', `/v1/certificates/${fingerprintB}/revoke`, { reason: 'unspecified' }],
      ['PATCH', `/v1/agents/${agentB}`, { status: 'suspended' }],
    ] as const) {
      // agentB exists in the key's tenant, so every one of these is a rights decision: 403, never 404.
      const denied = await agentKeyA(method, path, body);
      expect(denied, `${method} ${path}`).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    }
    // Reading agent records is the admin's right only (contract §1), even for the key's own agent.
    const own = await agentKeyA('GET', `/v1/agents/${agentA}`);
    expect(own).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await admin('GET', `/v1/agents/${agentB}`)).toMatchObject({ status: 200, body: { status: 'active' } });
  });

  it('an unknown or missing key gets 401 UNAUTHENTICATED', async () => {
    for (const call of [anonymous, client(dev.url, newAdminKey()), client(dev.url, 'x')]) {
      const denied = await call('GET', '/v1/agents');
      expect(denied).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    }
  });
});

describe('kakunin dev: bad inputs', () => {
  it('413 for a body over 64 KiB', async () => {
    const big = JSON.stringify({ name: 'x', metadata: { blob: 'x'.repeat(70_000) } });
    const answer = await admin('POST', '/v1/agents', big);
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
  });

  it('404 NOT_FOUND for an unknown route, a wrong method and an unknown id', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing'],
      ['DELETE', '/v1/agents'],
      ['GET', '/v1/agents/a_doesnotexist0000000'],
      ['GET', `/v1/certificates/sha256:${'0'.repeat(64)}`],
    ] as const) {
      const answer = await admin(method, path);
      expect(answer, `${method} ${path}`).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    }
  });

  it('400 INVALID_REQUEST with the field for malformed bodies', async () => {
    const badName = await admin('POST', '/v1/agents', { name: 'has spaces!' });
    expect(badName).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST', field: 'name' } } });
    const notJson = await admin('POST', '/v1/agents', '{"name":');
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
    const badMode = await admin('POST', '/v1/agents', { name: 'ok', mode: 'chaos' });
    expect(badMode).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST', field: 'mode' } } });
    const badEnvelope = await admin('POST', '/v1/actions/verify', { payload: { action: 'charge' } });
    expect(badEnvelope).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
  });

  it('never answers a 5xx or leaks a stack trace for junk', async () => {
    for (const body of ['null', '[]', '"x"', '{"__proto__":{"x":1}}', '\u0000', '{"name":{"$gt":""}}']) {
      const answer = await admin('POST', '/v1/agents', body);
      expect(answer.status, body).toBe(400);
      expect(answer.text).not.toMatch(/at .+\.ts:\d+/);
    }
  });
});

describe('kakunin demo', () => {
  it('walks the seed story against the running server and exits 0', async () => {
    const run = await runCli(['demo', '--url', dev.url, '--api-key', adminKey]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const line of ['REPLAY_DETECTED', 'SCOPE_VIOLATION', 'CERTIFICATE_REVOKED', 'Demo complete']) {
      expect(run.stdout).toContain(line);
    }
  });

  it('exits non-zero with one line when the key is wrong', async () => {
    const run = await runCli(['demo', '--url', dev.url, '--api-key', newAdminKey()]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('Demo failed at step 1');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.KAKUNIN_API_KEY;
    const child = spawn(process.execPath, [KAKUNIN_BIN, ...args], { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
