/**
 * Every runnable file in examples/ against a real `kakunin dev` (child process, port 0, temp data dir), run the way a
 * user runs it (`node --import tsx examples/<name>.ts` importing the built `@kakunin/sdk`), each asserting its outcome
 * from the one RESULT line it prints.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevProcess, newAdminKey, REPO_ROOT, startDevProcess } from '../integration/local/dev-process.js';

let dev: DevProcess;
let dataDir: string;
const adminKey = newAdminKey();

beforeAll(async () => {
  // The examples import the package as a user would: from its build.
  if (!existsSync(join(REPO_ROOT, 'packages/sdk/dist/index.js'))) {
    execFileSync('npm', ['run', 'build', '-w', '@kakunin/sdk'], { cwd: REPO_ROOT, stdio: 'ignore' });
  }
  dataDir = mkdtempSync(join(tmpdir(), 'kakunin-examples-'));
  dev = await startDevProcess({ dataDir, adminKey });
});

afterAll(async () => {
  await dev?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface ExampleRun {
  // biome-ignore lint/suspicious/noExplicitAny: each example prints its own result shape
  result: any;
  stderr: string;
}

function runExample(file: string, args: string[] = []): Promise<ExampleRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('examples', file), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, KAKUNIN_BASE_URL: dev.url, KAKUNIN_API_KEY: adminKey, KMS_KEY_ARN: '' },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
        if (error !== null || line === undefined) {
          reject(new Error(`${file} failed: ${error?.message ?? 'no RESULT line'}\n${stdout}\n${stderr}`));
          return;
        }
        resolve({ result: JSON.parse(line.slice('RESULT '.length)), stderr });
      },
    );
  });
}

describe('examples/', () => {
  it('register-agent: an agent and its scoped certificate (the guide snippet as written)', async () => {
    const { result } = await runExample('register-agent.ts');
    expect(result.agentId).toMatch(/^a_[0-9a-z]{16,}$/);
    expect(result.status).toBe('active');
    expect(result.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.hasPem).toBe(true);
    expect(result.scope).toMatchObject({ maxTransactionSize: 10000, allowedActions: ['charge', 'refund'] });
    expect(result.kmsKeyArn).toBeNull(); // local mode holds the key in its own vault, not KMS
  });

  it('sign-locally: an envelope signed with the agent’s own key verifies once; the replay is refused', async () => {
    const { result } = await runExample('sign-locally.ts');
    expect(result.envelopeFields).toEqual(['certificateFingerprint', 'nonce', 'payload', 'signature', 'timestamp']);
    expect(result.verified).toBe(true);
    expect(result.replay).toBe('REPLAY_DETECTED');
  });

  it('verify-online: a downstream system accepts the in-scope action and refuses the oversized one', async () => {
    const { result } = await runExample('verify-online.ts');
    expect(result.ok).toMatchObject({ verified: true });
    expect(result.refusal.code).toBe('SCOPE_VIOLATION');
    expect(result.refusal.field).toMatch(/amount/);
  });

  it('verify-offline: verified without the service, replay and scope refused, revocation seen through the CRL', async () => {
    const { result } = await runExample('verify-offline.ts');
    expect(result).toMatchObject({
      first: 'verified',
      checks: { agentStatus: false, velocity: false, risk: false },
      replay: 'REPLAY_DETECTED',
      tooLarge: 'SCOPE_VIOLATION',
      afterRevocation: 'CERTIFICATE_REVOKED',
    });
  });

  it('tool-guard: the permitted tool runs; out-of-scope calls throw the contract code and never run', async () => {
    const { result } = await runExample('tool-guard.ts');
    expect(result.permitted).toBe('ran');
    expect(result.tooLarge.code).toBe('SCOPE_VIOLATION');
    expect(result.tooLarge.field).toMatch(/amount/);
    expect(result.wrongCounterparty.code).toBe('SCOPE_VIOLATION');
    expect(result.wrongCounterparty.field).toMatch(/counterparty/);
    expect(result.executed).toEqual(['charge 9900']);
  });

  it('langchain-agent: the agent loop charges once and the model reads the refusal of the second charge', async () => {
    const { result } = await runExample('langchain-agent.ts');
    expect(result.charges).toEqual(['9900 EUR cus_1']);
    expect(result.toolResults).toHaveLength(2);
    expect(result.toolResults[1].status).toBe('error');
    expect(result.toolResults[1].content).toContain('SCOPE_VIOLATION');
    expect(result.finalAnswer).toContain('refused');
  });

  it('baseline: locks a baseline when monitoring is there, and says plainly when it is not', async () => {
    const { result, stderr } = await runExample('baseline.ts');
    expect(result.mode).toBe('observe');
    if (result.monitoring === 'available') {
      expect(result.locked).toBe(true);
    } else {
      expect(result).toMatchObject({ monitoring: 'not_available', status: 404, code: 'NOT_FOUND' });
      expect(stderr).toContain('no behavioural monitoring routes yet');
    }
  });

  it('webhook-receiver: acts on a verified agent.certificate_revoked delivery and refuses a forged one', async () => {
    const { result, stderr } = await runExample('webhook-receiver.ts');
    expect(result.received).toEqual([{ type: 'agent.certificate_revoked', agentId: result.expectedAgentId }]);
    expect(result.actions).toEqual([
      `terminate ${result.expectedAgentId}`,
      `review ${result.expectedAgentId}`,
      `spawn from ${result.expectedAgentId}`,
    ]);
    expect(result.refusedDeliveries).toBe(1);
    if (result.delivery === 'simulated') expect(stderr).toContain('no webhook delivery yet');
  });

  it('incident-runbook: freeze, pull the audit range, revoke', async () => {
    const { result } = await runExample('incident-runbook.ts');
    expect(result.frozen).toBe('suspended');
    expect(result.afterFreeze).toBe('AGENT_SUSPENDED');
    expect(result.revoked).toBe('revoked');
    expect(result.certificate).toEqual({ valid: false, reason: 'revoked' });
    if (result.audit.available) {
      const types = result.audit.entries.map((e: { type: string }) => e.type);
      expect(types).toContain('action.verified');
      expect(result.audit.entries).toContainEqual(
        expect.objectContaining({ type: 'action.rejected', errorCode: 'SCOPE_VIOLATION' }),
      );
    }
  });
});
