/**
 * `kakunin demo`: tells the seed story against a local server. Uses the server at --url when one answers /health;
 * otherwise starts one in-process on that port (with --data-dir, or a temporary directory it removes afterwards).
 * Exit code 0 only if every answer was the expected one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USAGE, type DemoArgs, parseDemoArgs, UsageError } from './cli-args.js';
import { DemoClient, isHealthy } from './demo-client.js';
import { runStory, StoryFailure } from './demo-story.js';
import type { CommandIo } from './dev-command.js';
import type { DevServer } from './dev-server.js';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

export async function runDemo(argv: string[], io: CommandIo): Promise<number> {
  const args = parseDemoArgs(argv);
  if (args.help) {
    io.out(DEMO_USAGE);
    return 0;
  }
  const apiKey = args.apiKey ?? (io.env.KAKUNIN_API_KEY || undefined);
  const target = (await isHealthy(args.url)) ? { url: args.url, apiKey } : await startInProcess(args, apiKey, io);
  if (target.apiKey === undefined) {
    throw new UsageError(`a server answers at ${args.url}: pass its admin key with --api-key or KAKUNIN_API_KEY`);
  }
  let step = 0;
  try {
    await runStory(new DemoClient(target.url, target.apiKey), {
      step: (title) => {
        step += 1;
        io.out(`\n${step}. ${title}`);
      },
      detail: (line) => io.out(`   ${line}`),
    });
    io.out('\nDemo complete: every answer was the expected one.');
    return 0;
  } catch (error) {
    if (!(error instanceof StoryFailure)) throw error;
    io.err(`\nDemo failed at step ${step}: ${error.message}`);
    return 1;
  } finally {
    await ('stop' in target ? target.stop() : Promise.resolve());
  }
}

interface InProcessTarget {
  url: string;
  apiKey: string | undefined;
  stop(): Promise<void>;
}

async function startInProcess(args: DemoArgs, apiKey: string | undefined, io: CommandIo): Promise<InProcessTarget> {
  const url = new URL(args.url);
  if (!LOCAL_HOSTS.has(url.hostname) || url.protocol !== 'http:') {
    throw new UsageError(`no Kakunin server answers at ${args.url}, and a demo server can only be started locally`);
  }
  const port = url.port === '' ? 80 : Number(url.port);
  const temporary = args.dataDir === undefined ? await mkdtemp(join(tmpdir(), 'kakunin-demo-')) : undefined;
  const dataDir = args.dataDir ?? (temporary as string);
  io.out(`No server at ${args.url}: starting one in-process (data in ${dataDir}).`);
  let server: DevServer;
  try {
    // Loaded only when needed: the server pulls in every handler and the AWS SDK, which a demo against a running
    // server never uses.
    const { startDevServer } = await import('./dev-server.js');
    server = await startDevServer({ port, dataDir, ...(apiKey === undefined ? {} : { adminKey: apiKey }) });
  } catch (error) {
    if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url,
    apiKey: server.adminKey.source === 'generated' ? server.adminKey.key : apiKey,
    stop: async () => {
      await server.stop();
      if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
    },
  };
}
