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

/** Adds the action to today's aggregate, closing the previous day first. Late actions for closed days: ignored. */
export function accumulateDrift(state: AgentState, ctx: ActionContext, train: boolean): void {
  const day = Math.floor(ctx.t / DAY_MS);
  if (state.driftDay < 0) state.driftDay = day;
  if (day < state.driftDay) return;
  if (day > state.driftDay) {
    const [count, amount] = state.driftTracks;
    step(count, Math.log1p(state.driftCount), ctx, train, true);
    if (state.driftAmounts >= MIN_AMOUNTS) step(amount, state.driftLogAmount / state.driftAmounts, ctx, train, true);
    state.driftDay = day;
    state.driftCount = 0;
    state.driftLogAmount = 0;
    state.driftAmounts = 0;
  }
  state.driftCount += 1;
  if (ctx.amount !== undefined && ctx.amount > 0) {
    state.driftLogAmount += Math.log(ctx.amount);
    state.driftAmounts += 1;
  }
}

function step(track: DriftTrack, x: number, ctx: ActionContext, train: boolean, commit: boolean): number {
  const sd = Math.sqrt(track.variance + 0.01);
  const ph = track.days >= MIN_DAYS ? Math.max(0, track.cum + (x - track.mean) / sd - ctx.params.driftDelta) : 0;
  if (commit) {
    track.cum = ph;
    track.last = x;
    // The reference only learns from days that show no drift, so a slow creep is not absorbed into it.
    if (train && ph === 0) {
      const alpha = Math.max(ALPHA, 1 / (track.days + 1));
      const d = x - track.mean;
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
  const byCount = count.cum >= amount.cum;
  const track = byCount ? count : amount;
  const show = (x: number) => (byCount ? Math.round(Math.expm1(x) * 10) / 10 : Number(Math.exp(x).toPrecision(4)));
  const p = Math.exp(-2 * ctx.params.driftDelta * track.cum);
  const label = byCount ? 'actions per day' : 'mean amount per day';
  recordEvidence(
    state,
    'drift',
    surprise(p, ctx.params),
    ctx.t,
    `${label} ${show(track.last)}`,
    `${label} ${show(track.mean)}`,
    false,
    ctx.params,
  );
}
