/**
 * From per-signal evidence to one explainable score: S = Σ wᵢ·sᵢ with sᵢ = min(−log₁₀ pᵢ, cap) (0 when pᵢ ≥ pFloor),
 * score = 1 − e^(−S/τ), and each signal's contribution wᵢsᵢ/S. Evidence decays with a half-life after the action
 * that raised it, so a quiet agent calms down (drift, a daily statistic re-evaluated at each action, more slowly).
 */
import { riskBand } from '../model.js';
import { describeSignal } from './explain.js';
import type { BehaviorParams, SignalName } from './params.js';
import type { AgentState, Evidence } from './state.js';
import type { Contribution, RiskAssessment } from './types.js';

/**
 * Turns a p-value into capped surprise (log₁₀ units), or 0 for ordinary variation. `tests` is how many such tests a
 * day holds (the agent's actions per day for per-action signals): the p-value is Bonferroni-adjusted to "this
 * surprising at least once in a day", which is what the false-warning budget (per agent-day) is about.
 */
export function surprise(p: number, params: BehaviorParams, tests = 1): number {
  const adjusted = p * Math.max(1, tests);
  if (!(adjusted < params.pFloor)) return 0;
  return Math.min(-Math.log10(Math.max(adjusted, 1e-300)), params.surpriseCap);
}

export function decayedSurprise(signal: SignalName, e: Evidence, now: number, params: BehaviorParams): number {
  if (now <= e.at) return e.s;
  // Drift is re-evaluated at every action; between actions it fades more slowly than per-action evidence.
  const halfLife = signal === 'drift' ? DRIFT_HALF_LIFE_MS : params.evidenceHalfLifeMs;
  return e.s * 2 ** (-(now - e.at) / halfLife);
}

const DRIFT_HALF_LIFE_MS = 3 * 3_600_000;

/**
 * Records new evidence for a signal. Per-action signals accumulate (several surprising actions say more than one);
 * state signals (rates, spread, sequence, travel) keep the strongest current value.
 */
export function recordEvidence(
  state: AgentState,
  signal: SignalName,
  s: number,
  at: number,
  observed: number | string,
  baseline: number | string,
  accumulate: boolean,
  params: BehaviorParams,
): void {
  const previous = state.evidence.get(signal);
  if (signal === 'drift') {
    if (s > 0) state.evidence.set(signal, { s, at, observed, baseline });
    else state.evidence.delete(signal);
    return;
  }
  if (s <= 0) return;
  const current = previous ? decayedSurprise(signal, previous, at, params) : 0;
  const next = accumulate ? Math.max(s, Math.min(params.surpriseCap, current + params.accumulationGain * s)) : s;
  if (next >= current)
    state.evidence.set(signal, { s: next, at: Math.max(at, previous?.at ?? at), observed, baseline });
}

/** Forgets evidence that has decayed to nothing, so the stored state does not carry it. */
export function pruneEvidence(state: AgentState, now: number, params: BehaviorParams): void {
  for (const [signal, e] of state.evidence) {
    if (decayedSurprise(signal, e, now, params) < 0.01) state.evidence.delete(signal);
  }
}

export interface Scored {
  assessment: RiskAssessment;
  /**
   * Score without the evidence that may not revoke: drift; the one- and ten-minute rates (a benign ad-hoc batch looks
   * the same for minutes: they warn, the hour and the locked p95 can revoke); every rate signal during warm-up.
   */
  revocableScore: number;
}

const RATE_SIGNALS: ReadonlySet<SignalName> = new Set(['rate_1m', 'rate_10m', 'rate_1h', 'rate_locked_p95']);
const ROLLING_RATES: ReadonlySet<SignalName> = new Set(['rate_1m', 'rate_10m', 'rate_1h']);
const RATE_OVERLAP = 0.5;
const NEVER_REVOKE: ReadonlySet<SignalName> = new Set(['drift', 'rate_1m', 'rate_10m']);

export function scoreState(state: AgentState, now: number, params: BehaviorParams): Scored {
  const warmingUp = state.trained < params.warmupEvents;
  const parts: { signal: SignalName; ws: number; e: Evidence }[] = [];
  let total = 0;
  let revocable = 0;
  for (const [signal, e] of state.evidence) {
    const ws = params.weights[signal] * decayedSurprise(signal, e, now, params);
    if (!(ws > 0)) continue;
    parts.push({ signal, ws, e });
    total += ws;
    if (!NEVER_REVOKE.has(signal) && !(warmingUp && RATE_SIGNALS.has(signal))) revocable += ws;
  }
  // The three rolling-rate horizons see one burst: count the strongest fully and the others at half weight.
  let rateSum = 0;
  let rateMax = 0;
  for (const p of parts) {
    if (!ROLLING_RATES.has(p.signal)) continue;
    rateSum += p.ws;
    rateMax = Math.max(rateMax, p.ws);
  }
  if (rateSum > rateMax) {
    const factor = (rateMax + RATE_OVERLAP * (rateSum - rateMax)) / rateSum;
    for (const p of parts) if (ROLLING_RATES.has(p.signal)) p.ws *= factor;
    total = parts.reduce((a, p) => a + p.ws, 0);
    revocable = parts.reduce(
      (a, p) => a + (!NEVER_REVOKE.has(p.signal) && !(warmingUp && RATE_SIGNALS.has(p.signal)) ? p.ws : 0),
      0,
    );
  }
  parts.sort((a, b) => b.ws - a.ws || (a.signal < b.signal ? -1 : 1));
  const score = toScore(total, params);
  const contributions: Contribution[] = parts.map(({ signal, ws, e }) => ({
    signal,
    weight: params.weights[signal],
    value: ws / total,
    observed: e.observed,
    baseline: e.baseline,
    detail: describeSignal(signal, e, decayedSurprise(signal, e, now, params)),
  }));
  return {
    assessment: { score, band: riskBand(score), contributions, at: now },
    revocableScore: toScore(revocable, params),
  };
}

function toScore(total: number, params: BehaviorParams): number {
  return total > 0 ? 1 - Math.exp(-total / params.tau) : 0;
}
