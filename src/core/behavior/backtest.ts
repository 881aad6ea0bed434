/**
 * `kakunin backtest` (docs/api.md §9) as a pure function: JSON Lines of historical actions in, one result per action
 * out, through the same engine and the same calls as the live pipeline. Deterministic: the engine has no clock or
 * randomness of its own, agents are kept apart, and each action's id is its line number.
 */
import * as z from 'zod';
import { fieldPath } from '../envelope/schema.js';
import { type BacktestConfig, lockedFigures } from './baseline-schema.js';
import { createBehaviorEngine } from './index.js';
import type { AgentBehaviorState, BehaviorSettings, Contribution } from './types.js';

const text = z.string().max(1024);
const inputLineSchema = z.strictObject({
  agentId: z.string().min(1).max(128),
  timestamp: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  payload: z.looseObject({ action: z.string().max(1024) }),
  origin: z.optional(
    z.strictObject({
      ip: z.optional(text),
      asn: z.optional(text),
      region: z.optional(text),
      userAgent: z.optional(text),
    }),
  ),
  /** Not in §9's line, but exports from the audit ledger carry it: origins are tracked per certificate. */
  certificateFingerprint: z.optional(text),
});

export interface BacktestLine {
  seq: number;
  agentId: string;
  score: number;
  band: string;
  contributions: Contribution[];
  wouldWarn: boolean;
  wouldRevoke: boolean;
}

export class BacktestInputError extends Error {
  override readonly name = 'BacktestInputError';
}

/** Defaults when the config does not say: thresholds as for a new agent, and enforce, since the question is "would". */
export function backtestSettings(config: BacktestConfig): BehaviorSettings {
  return {
    mode: config.mode ?? 'enforce',
    warningThreshold: config.warningThreshold ?? 0.75,
    anomalyThreshold: config.anomalyThreshold ?? 0.85,
  };
}

/**
 * Scores `lines` (the input, one JSON object per line; blank lines are skipped) and calls `emit` per action, in input
 * order. `seq` is the action's 1-based line number. Every line is validated before anything is emitted; the first bad
 * line throws a BacktestInputError naming it.
 */
export function runBacktest(lines: string[], config: BacktestConfig, emit: (line: BacktestLine) => void): number {
  const parsed = lines.map((raw, i) => (raw.trim() === '' ? undefined : parseLine(raw, i + 1)));
  const engine = createBehaviorEngine();
  const settings = backtestSettings(config);
  // The figures the route would lock for the same body (a null transaction size locks none).
  const baseline = config.baseline === undefined ? undefined : lockedFigures(config.baseline);
  const states = new Map<string, AgentBehaviorState>();
  let count = 0;
  parsed.forEach((line, i) => {
    if (!line) return;
    const seq = i + 1;
    let state = states.get(line.agentId);
    if (state === undefined) {
      state = engine.create(line.agentId, line.timestamp);
      states.set(line.agentId, state);
    }
    const result = engine.apply(
      state,
      {
        id: String(seq),
        agentId: line.agentId,
        at: line.timestamp,
        payload: line.payload as { action: string },
        ...(line.origin ? { origin: line.origin } : {}),
        ...(line.certificateFingerprint ? { certificateFingerprint: line.certificateFingerprint } : {}),
      },
      settings,
      baseline,
    );
    const { score, band, contributions } = result.assessment;
    emit({
      seq,
      agentId: line.agentId,
      score,
      band,
      contributions,
      wouldWarn: result.warn,
      wouldRevoke: result.revoke,
    });
    count += 1;
  });
  return count;
}

function parseLine(raw: string, lineNumber: number): z.infer<typeof inputLineSchema> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new BacktestInputError(
      `line ${lineNumber}: not JSON (${error instanceof Error ? error.message : 'parse error'})`,
    );
  }
  const result = inputLineSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const field = fieldPath(path) ?? 'line';
  const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
  throw new BacktestInputError(`line ${lineNumber}: ${field}: ${message}`);
}
