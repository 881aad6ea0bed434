/**
 * Slow drift: Page-Hinkley (in its CUSUM form) on daily aggregates (the day's action count and its mean log amount),
 * standardised by the agent's own day-to-day variation; upward only. The test's false-alarm bound P(PH > h) ≈ e^(−2δh)
 * gives its p-value. Drift alone warns but never auto-revokes (evidence.ts leaves it out of the revocable score).
 */
import type { ActionContext } from './context.js';
import { DAY_MS } from './context.js';
import { recordEvidence, surprise } from './evidence.js';
import type { AgentState, DriftTrack } from './state.js';

/** Days of history before the test runs, and the minimum amounts for a day's mean log amount to count. */
const MIN_DAYS = 5;
const MIN_AMOUNTS = 5;
const ALPHA = 1 / 21;
const PRIOR_DAYS = 4;
/** Prior day-to-day variance of log(1 + actions per day) and of the day's mean log amount. */
const COUNT_PRIOR_VARIANCE = 0.35 ** 2;
const AMOUNT_PRIOR_VARIANCE = 0.12 ** 2;
/** A day's deviation is clipped at this many σ before the reference learns it. */
const CLIP = 2;

/** Adds the action to today's aggregate, closing the previous day first. Late actions for closed days: ignored. */
export function accumulateDrift(state: AgentState, ctx: ActionContext, train: boolean, amountInTail: boolean): void {
  const day = Math.floor(ctx.t / DAY_MS);
  if (state.driftDay < 0) state.driftDay = day;
  if (day < state.driftDay) return;
  if (day > state.driftDay) {
    const [count, amount] = state.driftTracks;
    step(count, Math.log1p(state.driftCount), 0, COUNT_PRIOR_VARIANCE, ctx, train, true);
    if (state.driftAmounts >= MIN_AMOUNTS) {
      step(amount, state.driftLogAmount / state.driftAmounts, sampling(state), AMOUNT_PRIOR_VARIANCE, ctx, train, true);
    }
    state.driftDay = day;
    state.driftCount = 0;
    state.driftLogAmount = 0;
    state.driftLogAmountSquares = 0;
    state.driftAmounts = 0;
  }
  state.driftCount += 1;
  // An amount in the agent's 1 % tail is the amount signal's business: a burst of extreme amounts is not a drift.
  if (ctx.amount !== undefined && ctx.amount > 0 && !amountInTail) {
    const log = Math.log(ctx.amount);
    state.driftLogAmount += log;
    state.driftLogAmountSquares += log * log;
    state.driftAmounts += 1;
  }
}

/** Sampling variance of today's mean log amount (its within-day variance over its count). */
function sampling(state: AgentState): number {
  const n = state.driftAmounts;
  if (n < 2) return 0;
  const mean = state.driftLogAmount / n;
  return Math.max(0, (state.driftLogAmountSquares / n - mean * mean) * (n / (n - 1))) / n;
}

/**
 * One day into Page-Hinkley. The spread is the larger of the reference's day-to-day variance and today's own
 * sampling variance, so a quiet day with few, scattered amounts does not look like a shift.
 */
function step(
  track: DriftTrack,
  x: number,
  samplingVariance: number,
  priorVariance: number,
  ctx: ActionContext,
  train: boolean,
  commit: boolean,
): number {
  // Few days say little about day-to-day variation: a prior (as PRIOR_DAYS days of it) keeps early z-scores sane.
  const between = (track.days * track.variance + PRIOR_DAYS * priorVariance) / (track.days + PRIOR_DAYS);
  const sd = Math.sqrt(Math.max(between, samplingVariance) + 1e-4);
  const ph = track.days >= MIN_DAYS ? Math.max(0, track.cum + (x - track.mean) / sd - ctx.params.driftDelta) : 0;
  if (commit) {
    track.cum = ph;
    track.last = x;
    // The reference learns from every day the engine trains on (never while the agent is at or above its warning
    // threshold), each day's deviation clipped at ±CLIP σ: a Huber-style, symmetric update, so a creep moves it by at
    // most CLIP·σ·α (0.1 σ) a day. Learning only from days that raised no evidence censors one tail: the mean sinks
    // below the truth until ordinary days look like drift; and a reference that started low by chance would never
    // catch up (clean agents warned for weeks).
    if (train) {
      const alpha = Math.max(ALPHA, 1 / (track.days + 1));
      // (Unclipped while the reference forms: its first days are the reference.)
      const limit = track.days >= MIN_DAYS ? CLIP * sd : Number.POSITIVE_INFINITY;
      const d = Math.max(-limit, Math.min(limit, x - track.mean));
      track.mean += alpha * d;
      track.variance = (1 - alpha) * (track.variance + alpha * d * d);
      track.days += 1;
    }
  }
  return ph;
}

/** The drift evidence as of this action: the larger of the two tracks' statistics over closed days. */
export function scoreDrift(state: AgentState, ctx: ActionContext): void {
  const [count, amount] = state.driftTracks;
  // Today's mean amount joins in once a good part of a day's amounts is in, so a drift shows within its second day.
  const enough = state.driftAmounts >= Math.max(15, state.dailyActions / 5) && amount.days >= MIN_DAYS;
  const today = enough ? state.driftLogAmount / state.driftAmounts : amount.last;
  const amountPh = enough
    ? Math.max(amount.cum, step(amount, today, sampling(state), AMOUNT_PRIOR_VARIANCE, ctx, false, false))
    : amount.cum;
  const byCount = count.cum >= amountPh;
  const ph = byCount ? count.cum : amountPh;
  const s = surprise(Math.exp(-2 * ctx.params.driftDelta * ph), ctx.params);
  if (s <= 0) {
    state.evidence.delete('drift');
    return;
  }
  const track = byCount ? count : amount;
  const last = byCount ? count.last : amountPh > amount.cum ? today : amount.last;
  const label = byCount ? 'actions per day' : 'mean amount per day';
  const shown = byCount
    ? [Math.round(Math.expm1(last) * 10) / 10, Math.round(Math.expm1(track.mean) * 10) / 10]
    : [Number(Math.exp(last).toPrecision(4)), Number(Math.exp(track.mean).toPrecision(4))];
  recordEvidence(state, 'drift', s, ctx.t, `${label} ${shown[0]}`, `${label} ${shown[1]}`, false, ctx.params);
}
