/**
 * `kakunin webhooks list` and `kakunin webhooks replay <id>` (docs/api.md §5): the webhook routes from a shell, for
 * the dead letters a receiver's outage left behind.
 *   kakunin webhooks list [--url http://127.0.0.1:8787] [--api-key <admin key>]
 *     prints one line per webhook: id, url, event types (never a secret: the route never returns one).
 *   kakunin webhooks replay <id> [--url …] [--api-key …]
 *     calls POST /v1/webhooks/{id}/replay until no dead letter remains, or until a call delivers none (the receiver is
 *     still failing: the rest stay dead letters for a later replay). Exit 0 when none remains, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { WEBHOOK_ID_PATTERN } from '../http/monitoring-schemas.js';
import { DEFAULT_PORT, UsageError } from './cli-args.js';

export const WEBHOOKS_USAGE = `Usage:
  kakunin webhooks list [--url http://127.0.0.1:${DEFAULT_PORT}] [--api-key <admin key>]
  kakunin webhooks replay <webhook id> [--url http://127.0.0.1:${DEFAULT_PORT}] [--api-key <admin key>]

replay delivers the webhook's dead letters once more, batch after batch (the route tries at most 25 per call), until
none remains or a batch delivers nothing. The admin key comes from --api-key or KAKUNIN_API_KEY.`;

interface Io {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

/** Far more batches than any real backlog needs; a server that kept answering progress for ever still ends. */
const MAX_BATCHES = 10_000;

interface Target {
  base: string;
  key: string;
  positionals: string[];
}

function target(argv: string[], env: NodeJS.ProcessEnv): Target {
  let values: { url?: string; 'api-key'?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, 'api-key': { type: 'string' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : 'invalid arguments');
  }
  const key = values['api-key'] ?? env.KAKUNIN_API_KEY;
  if (key === undefined || key === '') throw new UsageError('an admin key is needed: --api-key or KAKUNIN_API_KEY');
  return { base: values.url ?? `http://127.0.0.1:${DEFAULT_PORT}`, key, positionals };
}

async function call(t: Target, method: string, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, t.base), { method, headers: { authorization: `Bearer ${t.key}` } });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

function failure(io: Io, what: string, answer: { status: number; body: unknown }): number {
  const error = (answer.body as { error?: { code?: string; message?: string } } | null)?.error;
  io.err(`kakunin: ${what} failed: ${answer.status} ${error?.code ?? ''} ${error?.message ?? ''}`.trimEnd());
  return 1;
}

export async function runWebhooks(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.out(WEBHOOKS_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'list') return list(target(rest, io.env), io);
  if (sub === 'replay') return replay(target(rest, io.env), io);
  throw new UsageError(`unknown webhooks command "${sub}"\n\n${WEBHOOKS_USAGE}`);
}

async function list(t: Target, io: Io): Promise<number> {
  if (t.positionals.length > 0) throw new UsageError(`list takes no arguments\n\n${WEBHOOKS_USAGE}`);
  const answer = await call(t, 'GET', '/v1/webhooks');
  if (answer.status !== 200) return failure(io, 'list', answer);
  const items = (answer.body as { items: { id: string; url: string; eventTypes: string[] }[] }).items;
  for (const w of items) io.out(`${w.id}  ${w.url}  ${w.eventTypes.length === 0 ? '*' : w.eventTypes.join(',')}`);
  return 0;
}

async function replay(t: Target, io: Io): Promise<number> {
  const [id, ...extra] = t.positionals;
  // Checked here, not left to the server: a path segment such as `..` would be resolved away by URL parsing and the
  // request would reach another route.
  if (id === undefined || extra.length > 0 || !WEBHOOK_ID_PATTERN.test(id)) {
    throw new UsageError(`replay takes one webhook id (wh_ + 20 characters of [0-9a-z])\n\n${WEBHOOKS_USAGE}`);
  }
  let delivered = 0;
  let failed = 0;
  let remaining = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const answer = await call(t, 'POST', `/v1/webhooks/${id}/replay`);
    if (answer.status !== 200) return failure(io, 'replay', answer);
    const outcome = answer.body as { delivered: number; failed: number; remaining: number };
    delivered += outcome.delivered;
    failed += outcome.failed;
    remaining = outcome.remaining;
    if (remaining === 0 || outcome.delivered === 0) break;
  }
  io.out(`delivered ${delivered}, failed ${failed}, remaining ${remaining}`);
  return remaining === 0 ? 0 : 1;
}
