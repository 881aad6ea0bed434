/**
 * `kakunin dev` without the terminal: builds the local context, serves the API on 127.0.0.1 and stops both in the
 * right order (server first, so no request meets a closed store; then the emulators, which flushes LevelDB).
 * The demo reuses it to start an in-process server.
 */
import type { AppContext } from '../app/context.js';
import type { Clock } from '../ports.js';
import type { AdminKeyOutcome } from './admin-key.js';
import { createLocalApi } from './local-api.js';
import { buildLocalContext } from './local-context.js';
import { startLocalServer } from './server.js';

export interface DevServerOptions {
  port: number;
  dataDir: string;
  adminKey?: string;
  /** Operational lines (requests, events); never keys or bodies. */
  log?: (line: string) => void;
  /** The service's clock (tests and benchmarks only; see buildLocalContext). */
  clock?: Clock;
}

export interface DevServer {
  url: string;
  adminKey: AdminKeyOutcome;
  /** The composed context, for in-process tools (the demo, the behavioural scenario). */
  context: AppContext;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const local = await buildLocalContext(options);
  try {
    const server = await startLocalServer(createLocalApi(local.context), {
      port: options.port,
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= server.close().finally(() => local.stop());
      return stopping;
    };
    return { url: server.url, adminKey: local.adminKey, context: local.context, stop };
  } catch (error) {
    await local.stop();
    throw error;
  }
}
