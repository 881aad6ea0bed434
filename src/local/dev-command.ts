/**
 * `kakunin dev`: runs the local API until SIGINT/SIGTERM, then shuts down cleanly and exits 0. Prints the URL, the
 * admin key if one was generated (the only time it is shown), and a first curl to try.
 */
import { DEV_USAGE, parseDevArgs } from './cli-args.js';
import { startDevServer } from './dev-server.js';

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Resolves with the exit code once the server has stopped. */
export async function runDev(argv: string[], io: CommandIo): Promise<number> {
  const args = parseDevArgs(argv);
  if (args.help) {
    io.out(DEV_USAGE);
    return 0;
  }
  const started = performance.now();
  const verbose = io.env.KAKUNIN_LOG_REQUESTS !== '0';
  const server = await startDevServer({
    port: args.port,
    dataDir: args.dataDir,
    ...(io.env.KAKUNIN_API_KEY === undefined ? {} : { adminKey: io.env.KAKUNIN_API_KEY }),
    ...(verbose ? { log: io.err } : {}),
  });
  io.out(
    `Kakunin local API listening on ${server.url} (data in ${args.dataDir}, ready in ${Math.round(performance.now() - started)} ms)`,
  );
  if (server.adminKey.source === 'generated') {
    io.out(`Admin API key (shown once, store it now): ${server.adminKey.key}`);
    io.out(`Try: curl -s -H "Authorization: Bearer ${server.adminKey.key}" ${server.url}/v1/agents`);
  } else {
    io.out('Admin API key: the value of KAKUNIN_API_KEY');
    io.out(`Try: curl -s -H "Authorization: Bearer $KAKUNIN_API_KEY" ${server.url}/v1/agents`);
  }
  io.out('Stop with Ctrl-C.');
  return new Promise<number>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      io.out(`${signal}: stopping`);
      server.stop().then(
        () => {
          io.out('stopped');
          resolve(0);
        },
        (error: unknown) => {
          io.err(`shutdown failed: ${error instanceof Error ? error.message : 'unknown error'}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}
