/**
 * `kakunin backtest [--config agent.json] < actions.jsonl` (docs/api.md §9): replays historical actions through the
 * behaviour engine offline and prints one JSON line per action. Reading, parsing and printing live here; the scoring
 * is src/core/behavior/backtest.ts.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runBacktest } from '../core/behavior/backtest.js';
import { type BacktestConfig, backtestConfigSchema } from '../core/behavior/baseline-schema.js';
import { fieldPath } from '../core/envelope/schema.js';
import { UsageError } from './cli-args.js';

export const BACKTEST_USAGE = `Usage: kakunin backtest [--config agent.json] < actions.jsonl

Replays historical actions through the same behaviour scorer as the live pipeline, offline and deterministically, and
prints one JSON line per input action: {"seq","agentId","score","band","contributions","wouldWarn","wouldRevoke"}.
Each input line: {"agentId", "timestamp" (ms), "payload" (with "action"), "origin"?: {"ip","asn","region","userAgent"}}.
seq is the input line number. --config: {"mode"?, "warningThreshold"?, "anomalyThreshold"?, "baseline"?} where baseline
is a locked baseline as PUT /v1/agents/{id}/baseline takes it; mode defaults to enforce (the question is what would
have happened), thresholds to 0.75 and 0.85. A bad line stops the run before any output, naming the line (exit 1).`;

export interface BacktestIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function runBacktestCommand(
  argv: string[],
  io: BacktestIo,
  input: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): Promise<number> {
  let values: { config?: string; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : 'invalid arguments');
  }
  if (values.help) {
    io.out(BACKTEST_USAGE);
    return 0;
  }
  const config = values.config === undefined ? {} : await readConfig(values.config);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  text += decoder.decode();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let batch: string[] = [];
  runBacktest(lines, config, (line) => {
    batch.push(JSON.stringify(line));
    if (batch.length >= 1_000) {
      io.out(batch.join('\n'));
      batch = [];
    }
  });
  if (batch.length > 0) io.out(batch.join('\n'));
  return 0;
}

async function readConfig(path: string): Promise<BacktestConfig> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--config: cannot read ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new UsageError(`--config: ${path} is not JSON`);
  }
  const result = backtestConfigSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path2 = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
  throw new UsageError(`--config: ${fieldPath(path2) ?? 'config'}: ${message}`);
}
