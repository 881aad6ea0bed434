/**
 * The `kakunin` command (bin/kakunin.mjs registers tsx and imports this file).
 *   kakunin dev   [--port 8787] [--data-dir .kakunin]   the local API (docs/api.md §9)
 *   kakunin demo  [--url …] [--api-key …] [--data-dir …] the seed story against a local server
 *   kakunin backtest [--config agent.json] < actions.jsonl  behaviour scores for historical actions (docs/api.md §9)
 *   kakunin audit export | verify                       the audit ledger (kakunin audit --help)
 *   kakunin webhooks list | replay <id>                 webhooks and their dead letters (kakunin webhooks --help)
 * Errors print one line, never a stack trace; usage errors exit 2, failures 1.
 */
import 'reflect-metadata';

// Local defaults, each overridable by setting the variable: these must be set before the handlers are imported,
// because Powertools reads them when its Logger and Metrics are constructed.
const LOCAL_ENV_DEFAULTS: Record<string, string> = {
  // The SDK warns on Node 20 about its releases after January 2027; the project pins the SDK and supports Node 20.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // EMF metric blobs only mean something to CloudWatch.
  POWERTOOLS_METRICS_DISABLED: 'true',
  // The dev server prints one compact line per request; the handlers' structured logs show warnings and errors.
  POWERTOOLS_LOG_LEVEL: 'WARN',
};
for (const [name, value] of Object.entries(LOCAL_ENV_DEFAULTS)) process.env[name] ??= value;

import { KakuninError } from '../src/core/errors.js';
import { UsageError } from '../src/local/cli-args.js';

const USAGE = `Usage: kakunin <command> [options]

Commands:
  dev    serve the Kakunin API locally (kakunin dev --help)
  demo   walk through an agent's life against a local server (kakunin demo --help)
  backtest  score historical actions offline (kakunin backtest --help)
  audit     export the audit ledger, verify an export or checkpoints offline (kakunin audit --help)
  webhooks  list webhooks, replay a webhook's dead letters (kakunin webhooks --help)`;

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
  env: process.env,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'dev': {
      const { runDev } = await import('../src/local/dev-command.js');
      return runDev(rest, io);
    }
    case 'demo': {
      const { runDemo } = await import('../src/local/demo-command.js');
      return runDemo(rest, io);
    }
    case 'audit': {
      const { runAudit } = await import('../src/local/audit-command.js');
      return runAudit(rest, io);
    }
    case 'webhooks': {
      const { runWebhooks } = await import('../src/local/webhooks-command.js');
      return runWebhooks(rest, io);
    }
    case 'backtest': {
      const { runBacktestCommand } = await import('../src/local/backtest-command.js');
      return runBacktestCommand(rest, io, process.stdin);
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    io.err(`kakunin: ${error.message}`);
    process.exitCode = 2;
  } else {
    const detail = error instanceof KakuninError ? `${error.code}: ${error.message}` : describe(error);
    io.err(`kakunin: ${detail}`);
    process.exitCode = 1;
  }
}
// Open handles (emulator sockets, timers) must not keep a finished command alive.
process.exit(process.exitCode);

function describe(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') return 'the port is already in use';
  return error instanceof Error ? error.message : 'unexpected failure';
}
