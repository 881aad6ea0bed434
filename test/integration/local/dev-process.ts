/**
 * Runs `kakunin dev` as a child process, exactly as a user would (`node bin/kakunin.mjs dev …`), and waits for
 * /health. Used by the local-mode integration tests and the startup benchmark.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const KAKUNIN_BIN = fileURLToPath(new URL('../../../bin/kakunin.mjs', import.meta.url));

export const newAdminKey = (): string => `kk_${randomBytes(32).toString('base64url')}`;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface DevProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves once stdout contains `text` (the banner is printed just after the port opens). */
  waitForStdout(text: string, timeoutMs?: number): Promise<string>;
  /** Sends SIGTERM (or the given signal) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Milliseconds from spawn to the first healthy /health. */
  startupMs: number;
}

export interface DevProcessOptions {
  dataDir: string;
  port?: number;
  /** KAKUNIN_API_KEY for the process; undefined leaves it unset. */
  adminKey?: string;
  timeoutMs?: number;
}

export async function startDevProcess(options: DevProcessOptions): Promise<DevProcess> {
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KAKUNIN_API_KEY;
  if (options.adminKey !== undefined) env.KAKUNIN_API_KEY = options.adminKey;
  const started = performance.now();
  const child = spawn(process.execPath, [KAKUNIN_BIN, 'dev', '--port', String(port), '--data-dir', options.dataDir], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let healthy = false;
  while (!healthy && Date.now() < deadline && child.exitCode === null) {
    healthy = await isHealthy(url);
    if (!healthy) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const startupMs = performance.now() - started;
  if (!healthy) {
    child.kill('SIGKILL');
    throw new Error(`kakunin dev did not become healthy:\n${stdout}\n${stderr}`);
  }
  return {
    url,
    child,
    startupMs,
    output: () => ({ stdout, stderr }),
    waitForStdout: async (text, timeoutMs = 5_000) => {
      const until = Date.now() + timeoutMs;
      while (!stdout.includes(text) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      if (!stdout.includes(text)) throw new Error(`"${text}" never appeared in:\n${stdout}`);
      return stdout;
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(500) });
    return response.status === 200;
  } catch {
    return false;
  }
}
