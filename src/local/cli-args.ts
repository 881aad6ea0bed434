/**
 * Argument parsing for `kakunin dev` and `kakunin demo` (node:util parseArgs, strict: an unknown flag or a stray
 * positional argument is an error, never silently ignored).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export const DEFAULT_PORT = 8787;
export const DEFAULT_DATA_DIR = '.kakunin';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface DevArgs {
  help: boolean;
  port: number;
  dataDir: string;
}

export interface DemoArgs {
  help: boolean;
  url: string;
  apiKey?: string;
  dataDir?: string;
}

export const DEV_USAGE = `Usage: kakunin dev [--port ${DEFAULT_PORT}] [--data-dir ${DEFAULT_DATA_DIR}]

Serves the Kakunin API on http://127.0.0.1:<port> with embedded DynamoDB and Kinesis stand-ins and a local key vault.
State lives under --data-dir and survives a restart. KAKUNIN_API_KEY, when set, is the local tenant's admin key;
otherwise a new admin key is printed once. Stop with Ctrl-C (SIGINT) or SIGTERM.`;

export const DEMO_USAGE = `Usage: kakunin demo [--url http://127.0.0.1:${DEFAULT_PORT}] [--api-key <admin key>] [--data-dir <dir>]

Walks through an agent's life against a local server: register, certify, sign, verify, replay, out-of-scope,
revoke, audit. Uses the server at --url if one answers; otherwise starts one in-process (on --data-dir, or a temporary
directory). The admin key comes from --api-key or KAKUNIN_API_KEY. Exits non-zero if any answer is unexpected.`;

type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

function parse(argv: string[], options: ParseArgsConfig['options']): FlagValues {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as FlagValues;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : 'invalid arguments');
  }
}

export function parsePort(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(raw)) throw new UsageError(`--port must be an integer 1-65535, got "${raw}"`);
  const port = Number(raw);
  if (port < 1 || port > 65_535) throw new UsageError(`--port must be an integer 1-65535, got "${raw}"`);
  return port;
}

function nonEmpty(flag: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return raw;
}

export function parseDevArgs(argv: string[]): DevArgs {
  const values = parse(argv, {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  return {
    help: values.help === true,
    port: parsePort(values.port as string | undefined),
    dataDir: nonEmpty('--data-dir', values['data-dir'] as string | undefined) ?? DEFAULT_DATA_DIR,
  };
}

export function parseDemoArgs(argv: string[]): DemoArgs {
  const values = parse(argv, {
    url: { type: 'string' },
    'api-key': { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const url = nonEmpty('--url', values.url as string | undefined) ?? `http://127.0.0.1:${DEFAULT_PORT}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url must be an http URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--url must be an http URL, got "${url}"`);
  }
  const apiKey = nonEmpty('--api-key', values['api-key'] as string | undefined);
  const dataDir = nonEmpty('--data-dir', values['data-dir'] as string | undefined);
  return {
    help: values.help === true,
    url: parsed.origin,
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(dataDir === undefined ? {} : { dataDir }),
  };
}
