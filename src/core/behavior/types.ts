/**
 * The behaviour engine's public types: the interface agreed between the engine (pure, this directory) and the
 * monitoring pipeline (stream consumer, state table, routes, events). Contract shapes are in docs/api.md §6 and §9.
 */
import type { RiskBand } from '../model.js';

/** One verified action as the consumer sees it (from the stream record, or a backtest line). */
export interface BehaviorAction {
  /** Unique id of the action (the audit entry id for live actions; `seq` for backtest): used to dedupe. */
  id: string;
  agentId: string;
  certificateFingerprint?: string;
  /** Epoch ms the action happened (verifiedAt for live actions, `timestamp` for backtest lines). */
  at: number;
  payload: {
    action: string;
    amount?: number;
    currency?: string;
    counterparty?: string;
    region?: string;
    [k: string]: unknown;
  };
  /** Where the action came from (unsigned, from the verifier; docs/api.md §4 and §9). */
  origin?: { ip?: string; asn?: string; region?: string; userAgent?: string };
}

/** The agent's effective settings (strictest along its delegation chain; computed by the pipeline). */
export interface BehaviorSettings {
  mode: 'observe' | 'enforce';
  warningThreshold: number;
  anomalyThreshold: number;
}

/** docs/api.md §6 `PUT /v1/agents/{id}/baseline` body (all optional here). */
export interface LockedBaseline {
  transaction_size?: { p50: number; p99: number };
  transactions_per_hour?: { p95: number };
  preferred_counterparties?: string[];
  active_hours?: [number, number][];
}

/** docs/api.md §6 risk contribution. */
export interface Contribution {
  signal: string;
  weight: number;
  /** This signal's share of the score, in [0,1]; the contributions' values add up to 1 when score > 0. */
  value: number;
  observed: unknown;
  baseline: unknown;
  detail: string;
}

export interface RiskAssessment {
  /** In [0,1]. */
  score: number;
  band: RiskBand;
  /** Top contributions, largest first. */
  contributions: Contribution[];
  /** Epoch ms the assessment refers to. */
  at: number;
}

/** Opaque; only the engine looks inside (see state.ts). */
export type AgentBehaviorState = unknown;

export interface ApplyResult {
  state: AgentBehaviorState;
  assessment: RiskAssessment;
  /** True for the action that first reaches warningThreshold in an episode (emit the warning event once). */
  warn: boolean;
  /** True when, in enforce mode, the score reached anomalyThreshold and the rules allow auto-revocation. */
  revoke: boolean;
  /** Epoch ms the current anomaly episode started (score first ≥ warningThreshold); undefined when not in one. */
  episodeStart?: number;
  /** True when the action was already applied (same id seen recently): state unchanged, no warn/revoke. */
  duplicate: boolean;
}

export interface BehaviorEngine {
  /** Fresh state for a new agent (scored against the population prior until warmed up). */
  create(agentId: string, now: number): AgentBehaviorState;
  /**
   * Applies one action; idempotent by `action.id`; tolerates out-of-order `at`. No I/O, no clock of its own.
   * For speed it updates `state` in place and returns it: the caller owns one state object per agent and must not
   * keep using an older reference expecting the old value (decode the stored bytes again to start over).
   */
  apply(
    state: AgentBehaviorState,
    action: BehaviorAction,
    settings: BehaviorSettings,
    baseline?: LockedBaseline,
  ): ApplyResult;
  /** Score as of `now` without a new action (evidence decays when the agent goes quiet). Does not change state. */
  assess(state: AgentBehaviorState, now: number, settings: BehaviorSettings, baseline?: LockedBaseline): RiskAssessment;
  /** docs/api.md §6 stats body for `window` (`1h`…`30d`) as of `now`. Throws RangeError on a bad window. */
  stats(state: AgentBehaviorState, window: string, now: number): BehaviorStats;
  /** Bounded serialisation for the per-agent item: target ≤ 4 KiB, never > 16 KiB. */
  encode(state: AgentBehaviorState): Uint8Array;
  /** Throws on anything it did not write (fail closed). */
  decode(bytes: Uint8Array): AgentBehaviorState;
}

/** docs/api.md §6 `GET /v1/agents/{id}/stats` body. */
export interface BehaviorStats {
  window: string;
  count: number;
  transaction_size: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
  frequency: { per_hour: { p50: number; p95: number; max: number } };
  counterparty_distribution: { counterparty: string; count: number; share: number }[];
  hour_of_day: { counts: number[]; activePeriods: [number, number][] };
}
