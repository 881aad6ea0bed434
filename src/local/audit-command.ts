/**
 * `kakunin audit export` and `kakunin audit verify` (docs/api.md §7).
 *   kakunin audit export [--url http://127.0.0.1:8787] [--api-key <admin key>] [--from <time>] [--to <time>]
 *     prints the entries of the range as JSON Lines (following the server's size cap until the range is complete).
 *   kakunin audit verify --key <vkey file> --checkpoint <note file> < export.jsonl
 *     checks an export from seq 0 against a signed checkpoint, offline, with only the verifier key.
 *   kakunin audit verify --key <vkey file> --from-checkpoint <older note> --checkpoint <newer note> < consistency.json
 *     checks that the newer checkpoint extends the older one (the answer of GET /v1/audit/consistency on stdin).
 * Exit 0 when everything verifies, 1 naming the first failure, 2 on a usage error.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyCheckpointConsistency, verifyExport } from '../core/ledger/offline-verify.js';
import { DEFAULT_PORT, UsageError } from './cli-args.js';

export const AUDIT_USAGE = `Usage:
  kakunin audit export [--url http://127.0.0.1:${DEFAULT_PORT}] [--api-key <admin key>] [--from <time>] [--to <time>] > export.jsonl
  kakunin audit verify --key <vkey file> --checkpoint <note file> < export.jsonl
  kakunin audit verify --key <vkey file> --from-checkpoint <older note> --checkpoint <newer note> < consistency.json

Times are RFC 3339 or epoch milliseconds. The admin key comes from --api-key or KAKUNIN_API_KEY.`;

interface Io {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Raw text to stdout (JSON Lines, no extra newline). */
  write?(text: string): void;
  stdin?(): Promise<string>;
}

function flags(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : 'invalid arguments');
  }
}

export async function runAudit(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'export') return runExport(rest, io);
  if (sub === 'verify') return runVerify(rest, io);
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.out(AUDIT_USAGE);
    return sub === undefined ? 2 : 0;
  }
  throw new UsageError(`unknown audit command "${sub}"\n\n${AUDIT_USAGE}`);
}

async function runExport(argv: string[], io: Io): Promise<number> {
  const values = flags(argv, {
    url: { type: 'string' },
    'api-key': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  });
  const base = String(values.url ?? `http://127.0.0.1:${DEFAULT_PORT}`);
  const key = (values['api-key'] as string | undefined) ?? io.env.KAKUNIN_API_KEY;
  if (key === undefined) throw new UsageError('an admin key is needed: --api-key or KAKUNIN_API_KEY');
  const write = io.write ?? ((text: string) => process.stdout.write(text));
  let afterSeq: string | undefined;
  for (;;) {
    const url = new URL('/v1/audit/export', base);
    if (values.from !== undefined) url.searchParams.set('from', String(values.from));
    if (values.to !== undefined) url.searchParams.set('to', String(values.to));
    if (afterSeq !== undefined) url.searchParams.set('afterSeq', afterSeq);
    const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    const body = await response.text();
    if (response.status !== 200) {
      io.err(`kakunin: export failed: ${response.status} ${body}`);
      return 1;
    }
    write(body);
    const next = response.headers.get('kakunin-export-truncated-after-seq');
    if (next === null) return 0;
    afterSeq = next;
  }
}

async function runVerify(argv: string[], io: Io): Promise<number> {
  const values = flags(argv, {
    key: { type: 'string' },
    checkpoint: { type: 'string' },
    'from-checkpoint': { type: 'string' },
  });
  if (typeof values.key !== 'string' || typeof values.checkpoint !== 'string') {
    throw new UsageError(`--key and --checkpoint are required\n\n${AUDIT_USAGE}`);
  }
  const vkey = (await readFile(values.key, 'utf8')).trim();
  const note = await readFile(values.checkpoint, 'utf8');
  const stdin = await (io.stdin ?? readStdin)();
  const verdict =
    typeof values['from-checkpoint'] === 'string'
      ? verifyCheckpointConsistency(vkey, await readFile(values['from-checkpoint'], 'utf8'), note, stdin)
      : verifyExport(vkey, note, stdin.split('\n'));
  if (verdict.ok) {
    io.out(`verified: ${verdict.message}`);
    return 0;
  }
  io.err(`NOT VERIFIED: ${verdict.message}`);
  return 1;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
