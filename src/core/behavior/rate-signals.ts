/**
 * Rate bursts: exponentially weighted counts at 1 min / 10 min / 1 h; at each action the count of the *other* recent
 * actions is scored against a negative binomial fitted to the same quantity in the agent's own history (blended with
 * a population prior while the agent is new), plus "N× the locked p95" when a baseline is locked.
 */
import type { ActionContext } from './context.js';
import { DAY_MS, HOUR_MS } from './context.js';
import { COUNT_BINS, countBin, empiricalTail, recordBounded, recordCount } from './count-histogram.js';
import { recordEvidence, surprise } from './evidence.js';
import type { SignalName } from './params.js';
import { type AgentState, HOURLY_SLOTS } from './state.js';
import { blendMoments, negativeBinomialTail, updateMoments } from './tail.js';

const RATE_NAMES: SignalName[] = ['rate_1m', 'rate_10m', 'rate_1h'];
/** A count in the agent's 1 % tail does not train the baseline (see trainRates). */
export const TAIL = 0.01;
/** Population prior for "other actions within the horizon" (mean, variance): a moderately busy, bursty agent. */
const PRIOR_MEAN = [1, 4, 20];
const PRIOR_VARIANCE = [12, 120, 1600];

/** Decays the weighted counts to `now` (only forwards: an out-of-order action is added with its own decay). */
export function advanceRates(state: AgentState, ctx: ActionContext): void {
  const dt = ctx.now - state.clock;
  if (dt <= 0) return;
  for (let h = 0; h < 3; h += 1) state.rateCount[h] = state.rateCount[h]! * Math.exp(-dt / ctx.params.horizonsMs[h]!);
  const f = Math.exp(-dt / ctx.params.horizonsMs[1]!);
  for (let i = 0; i < state.hits.length; i += 1) state.hits[i] = state.hits[i]! * f;
}

/** The weighted count of other actions within each horizon of this action (before it is added). */
export function othersInHorizons(state: AgentState, ctx: ActionContext): number[] {
  const late = ctx.now - ctx.t;
  return [0, 1, 2].map((h) => state.rateCount[h]! * (late > 0 ? Math.exp(-late / ctx.params.horizonsMs[h]!) : 1));
}

/** Scores the rates; returns, per horizon, whether the count was in the tail (it will not train the baseline). */
export function scoreRates(state: AgentState, ctx: ActionContext, others: number[]): boolean[] {
  const surprising = [false, false, false];
  for (let h = 0; h < 3; h += 1) {
    const x = others[h]!;
    const [m, v] = blendMoments(
      state.trained,
      state.rateMean[h]!,
      state.rateVar[h]!,
      PRIOR_MEAN[h]!,
      PRIOR_VARIANCE[h]!,
      ctx.params.priorEvents,
      ctx.params.warmupEvents,
    );
    // Within two standard deviations nothing can reach the tail flag (p < 1 %) or a surprise: skip the CDF.
    if (x <= m + 1 || x <= m + 2 * Math.sqrt(v)) continue;
    const hist = state.rateHist.subarray(h * COUNT_BINS, (h + 1) * COUNT_BINS);
    let p = negativeBinomialTail(x, m, v);
    if (p < ctx.params.pFloor && histogramMass(hist) >= MIN_HISTOGRAM) p = Math.max(p, empiricalTail(hist, x));
    const s = surprise(p, ctx.params, state.dailyActions);
    surprising[h] = p < TAIL;
    recordEvidence(state, RATE_NAMES[h]!, s, ctx.t, round(x), round(m), false, ctx.params);
  }
  const p95 = ctx.baseline?.transactions_per_hour?.p95;
  if (p95 !== undefined && p95 >= 0) {
    const lastHour = countLastHour(state, ctx.t) + 1;
    // The locked p95 read as the mean of a mildly over-dispersed count (variance 2× mean): 2× p95 is already
    // unusual for busy agents, 12× (the product guide's burst) is off the scale for any.
    const mean = Math.max(p95, 0.5);
    const s = surprise(negativeBinomialTail(lastHour, mean, 2 * mean), ctx.params, state.dailyActions);
    recordEvidence(state, 'rate_locked_p95', s, ctx.t, lastHour, p95, false, ctx.params);
  }
  return surprising;
}

export function addToRates(state: AgentState, ctx: ActionContext): void {
  const late = ctx.now - ctx.t;
  for (let h = 0; h < 3; h += 1) {
    state.rateCount[h] = state.rateCount[h]! + (late > 0 ? Math.exp(-late / ctx.params.horizonsMs[h]!) : 1);
  }
}

/**
 * Learns from this action's counts. A count in the agent's 1 % tail leaves the moments alone and enters the
 * histogram at a tenth of its weight (robust estimation): the first actions of a burst cannot teach the baseline
 * that bursts are normal, while a pattern that recurs (a daily payout batch) is learnt within a few days.
 */
export function trainRates(state: AgentState, ctx: ActionContext, others: number[], inTail: boolean[]): void {
  const alpha = Math.max(ctx.params.momentAlpha, 1 / (state.trained + 1));
  const warm = state.trained >= ctx.params.warmupEvents;
  const today = Math.floor(ctx.t / DAY_MS);
  for (let h = 0; h < 3; h += 1) {
    const hist = state.rateHist.subarray(h * COUNT_BINS, (h + 1) * COUNT_BINS);
    if (inTail[h] && warm) {
      const mayRaise = today > state.rateCeilingDay[h]!;
      const r = recordBounded(hist, others[h]!, HISTOGRAM_ALPHA, TAIL_WEIGHT, state.rateCeiling[h]!, mayRaise);
      state.rateCeiling[h] = r.ceiling;
      if (r.raised) state.rateCeilingDay[h] = today;
      continue;
    }
    const [m, v] = updateMoments(state.rateMean[h]!, state.rateVar[h]!, others[h]!, alpha);
    state.rateMean[h] = m;
    state.rateVar[h] = v;
    recordCount(hist, others[h]!, HISTOGRAM_ALPHA);
    state.rateCeiling[h] = Math.max(state.rateCeiling[h]!, countBin(others[h]!));
  }
}

export const TAIL_WEIGHT = 0.1;

/** The empirical tail is used once the histogram holds this much (decayed) history; its memory is ~1/alpha actions. */
export const MIN_HISTOGRAM = 50;
export const HISTOGRAM_ALPHA = 1 / 3_000;

export function histogramMass(hist: Float64Array): number {
  let total = 0;
  for (const h of hist) total += h;
  return total;
}

/** Actions in the hour before `t` from the exact hourly counts (the older hour pro-rated). */
export function countLastHour(state: AgentState, t: number): number {
  const hour = Math.floor(t / HOUR_MS);
  if (state.hourlyHead < 0 || hour > state.hourlyHead + 1 || hour <= state.hourlyHead - HOURLY_SLOTS + 1) return 0;
  const current = hour <= state.hourlyHead ? state.hourly[hour % HOURLY_SLOTS]! : 0;
  const previous = state.hourly[(hour - 1 + HOURLY_SLOTS) % HOURLY_SLOTS]!;
  const fraction = (t % HOUR_MS) / HOUR_MS;
  return current + Math.round(previous * (1 - fraction));
}

/** Adds the action to the exact hourly ring (kept for stats and the locked-p95 rate); older than 30 days: dropped. */
export function countHourly(state: AgentState, t: number): void {
  const hour = Math.floor(t / HOUR_MS);
  if (state.hourlyHead < 0) state.hourlyHead = hour;
  if (hour > state.hourlyHead) {
    const gap = Math.min(hour - state.hourlyHead, HOURLY_SLOTS);
    for (let k = 1; k <= gap; k += 1) state.hourly[(state.hourlyHead + k) % HOURLY_SLOTS] = 0;
    state.hourlyHead = hour;
  }
  if (hour <= state.hourlyHead - HOURLY_SLOTS) return;
  state.hourly[hour % HOURLY_SLOTS] = state.hourly[hour % HOURLY_SLOTS]! + 1;
}

const round = (x: number) => Math.round(x * 100) / 100;
