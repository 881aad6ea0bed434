/**
 * Counterparty spread, exfiltration-like: many distinct counterparties (or resources) in a short span, surprising
 * against the agent's usual spread and against what its own counterparty mix gives for that many actions.
 */
import type { ActionContext } from './context.js';
import { empiricalTail, recordCount } from './count-histogram.js';
import { MIN_NOVELTY } from './event-signals.js';
import { recordEvidence, surprise } from './evidence.js';
import { hash32 } from './hash.js';
import { HISTOGRAM_ALPHA, histogramMass, MIN_HISTOGRAM, TAIL, TAIL_WEIGHT } from './rate-signals.js';
import { type AgentState, RECENT_SLOTS } from './state.js';
import { blendMoments, negativeBinomialTail, normalTail, updateMoments } from './tail.js';

const PRIOR_SPREAD_MEAN = 2;
const PRIOR_SPREAD_VARIANCE = 8;

const seen = new Float64Array(RECENT_SLOTS + 1);

/** Actions (with a counterparty) behind the last distinctRecent, this one included. */
let windowEntries = 0;

/** Distinct counterparties among the recent ones within the spread window, this action's included. */
export function distinctRecent(state: AgentState, ctx: ActionContext): number {
  windowEntries = 0;
  if (ctx.counterparty === undefined) return 0;
  // At most RECENT_SLOTS + 1 values: a linear scan beats allocating a Set on every action.
  seen[0] = hash32(ctx.counterparty);
  let size = 1;
  windowEntries = 1;
  const from = ctx.t - ctx.params.spreadWindowMs;
  for (let i = 0; i < RECENT_SLOTS; i += 1) {
    const at = state.recentAt[i]!;
    const cp = state.recentCp[i]!;
    if (cp < 0 || at < from || at > ctx.t) continue;
    windowEntries += 1;
    let k = 0;
    while (k < size && seen[k] !== cp) k += 1;
    if (k === size) seen[size++] = cp;
  }
  return size;
}

/** Scores the spread; true when it was in the tail (then it does not train the baseline). */
export function scoreSpread(state: AgentState, ctx: ActionContext, distinct: number): boolean {
  if (distinct <= 1) return false;
  const [m, v] = blendMoments(
    state.trained,
    state.spreadMean,
    state.spreadVar,
    PRIOR_SPREAD_MEAN,
    PRIOR_SPREAD_VARIANCE,
    ctx.params.priorEvents,
    ctx.params.warmupEvents,
  );
  if (distinct <= m + 1 || distinct <= m + 2 * Math.sqrt(v)) return false;
  let p = negativeBinomialTail(distinct, m, v);
  if (p < ctx.params.pFloor && histogramMass(state.spreadHist) >= MIN_HISTOGRAM) {
    p = Math.max(p, empiricalTail(state.spreadHist, distinct));
  }
  if (p < ctx.params.pFloor && state.trained >= ctx.params.warmupEvents) {
    p = Math.max(p, spreadGivenPace(state, distinct, windowEntries));
  }
  const s = surprise(p, ctx.params, state.dailyActions);
  recordEvidence(state, 'counterparty_spread', s, ctx.t, distinct, Math.round(m * 100) / 100, false, ctx.params);
  return p < TAIL;
}

/**
 * P(≥ `distinct` counterparties among `n` actions) if each action drew its counterparty from the agent's own mix: the
 * top-K shares, and the novelty rate for one outside them (each such counted distinct: conservative). A benign batch
 * of 30 actions to the agent's usual twenty counterparties has many distinct ones because it has many actions; thirty
 * actions to thirty recipients is breadth. Normal approximation to the count of distinct values (a sum of indicators),
 * with a continuity correction; variance floored at 0.25 so a near-certain expectation is not over-sharp.
 */
export function spreadGivenPace(state: AgentState, distinct: number, n: number): number {
  let total = 0;
  for (const e of state.counterparties.values()) total += e.count;
  if (total <= 0 || n <= 1) return 1;
  const outside = Math.min(1, Math.max(state.novelCounterpartyRate, MIN_NOVELTY));
  let mean = n * outside;
  let variance = n * outside * (1 - outside);
  for (const e of state.counterparties.values()) {
    const absent = (1 - ((1 - outside) * e.count) / total) ** n;
    mean += 1 - absent;
    variance += absent * (1 - absent);
  }
  return normalTail((distinct - 0.5 - mean) / Math.sqrt(Math.max(variance, 0.25)));
}

export function rememberRecent(state: AgentState, ctx: ActionContext): void {
  if (ctx.counterparty === undefined) return;
  state.recentCp[state.recentHead] = hash32(ctx.counterparty);
  state.recentAt[state.recentHead] = ctx.t;
  state.recentHead = (state.recentHead + 1) % RECENT_SLOTS;
}

export function trainSpread(state: AgentState, ctx: ActionContext, distinct: number, inTail: boolean): void {
  if (distinct === 0) return;
  if (inTail && state.trained >= ctx.params.warmupEvents) {
    recordCount(state.spreadHist, distinct, HISTOGRAM_ALPHA, TAIL_WEIGHT);
    return;
  }
  const alpha = Math.max(ctx.params.momentAlpha, 1 / (state.trained + 1));
  [state.spreadMean, state.spreadVar] = updateMoments(state.spreadMean, state.spreadVar, distinct, alpha);
  recordCount(state.spreadHist, distinct, HISTOGRAM_ALPHA);
}
