/**
 * Per-action signals: amount tail (vs the sketch, or vs the locked p50/p99), counterparty novelty, off-hours
 * activity (vs the hour-of-day profile, or vs the locked active hours). Counterparty spread: spread-signal.ts.
 */
import { countAtOrAbove, mergedQuantile } from './amount-sketch.js';
import type { ActionContext } from './context.js';
import { recordEvidence, surprise } from './evidence.js';
import { addHit, hitsBefore, SCAN_SLOTS, scanSurprise } from './scan.js';
import { type AgentState } from './state.js';
import { normalTail } from './tail.js';

/** Amounts needed before the agent's own distribution is trusted (there is no population prior for amounts). */
const MIN_AMOUNTS = 20;
const Z99 = 2.326;
/** An amount in the agent's top 1 % is a tail hit for the scan statistic. */
const TAIL_HIT = 0.01;

/** What scoreAmount saw: an ordinary amount, one in the agent's 1 % tail, or a tail amount in a run of them. */
export const AMOUNT_ORDINARY = 0;
export const AMOUNT_TAIL = 1;
/** ln(p99 / p50) of a locked size is taken as at least ln 1.1 (see scoreAmount). */
const MIN_LOCKED_LOG_SPREAD = Math.log(1.1);
export const AMOUNT_TAIL_RUN = 2;

/**
 * Scores the amount. A tail amount stays out of the drift aggregate; one that follows another tail amount within the
 * scan's ten minutes (a run, the scan statistic's evidence) does not train the sketch either: otherwise the guide's
 * burst of one large amount teaches the sketch that amount within three charges, and the run stops being a run.
 * An isolated tail amount is learnt (about 1 % of a clean agent's amounts are, so the sketch's tail stays honest).
 */
export function scoreAmount(state: AgentState, ctx: ActionContext): number {
  const amount = ctx.amount;
  if (amount === undefined) return AMOUNT_ORDINARY;
  const locked = ctx.baseline?.transaction_size;
  const { params } = ctx;
  if (locked && locked.p50 > 0 && locked.p99 >= locked.p50) {
    // A log-normal through the locked p50 and p99, its p99 at least 10 % above its p50: a fixed-price agent
    // (p50 = p99) still has a reference, under which 20 % more is already rare and twice the price off the scale.
    // (A p50 of 0 defines no log-normal: the agent's own amounts are the reference then; docs/behavior.md.)
    const sigma = Math.max(Math.log(locked.p99) - Math.log(locked.p50), MIN_LOCKED_LOG_SPREAD) / Z99;
    const p = amount > 0 ? normalTail((Math.log(amount) - Math.log(locked.p50)) / sigma) : 1;
    const s = scanSurprise(state, ctx, SCAN_SLOTS.amount, p, TAIL_HIT, p < TAIL_HIT);
    const kind = tailKind(state, ctx, p);
    recordEvidence(state, 'amount', s, ctx.t, amount, locked.p99, false, params);
    return kind;
  }
  const [current, previous] = state.sketches;
  const n = current.count + previous.count;
  if (n < MIN_AMOUNTS) return AMOUNT_ORDINARY;
  const above = countAtOrAbove(current, amount) + countAtOrAbove(previous, amount);
  let p = (above + 1) / (n + 1);
  const max = Math.max(current.count ? current.max : 0, previous.count ? previous.max : 0);
  // Beyond the largest amount seen, extrapolate a Pareto tail (index 2) instead of stopping at 1/(n+1).
  if (max > 0 && amount > max) p *= (max / amount) ** 2;
  const s = scanSurprise(state, ctx, SCAN_SLOTS.amount, p, TAIL_HIT, p < TAIL_HIT);
  const kind = tailKind(state, ctx, p);
  if (s <= 0) return kind;
  const p99 = mergedQuantile(state.sketches, 0.99, params.sketchAccuracy, params.sketchBins) ?? 0;
  recordEvidence(state, 'amount', s, ctx.t, amount, Number(p99.toPrecision(4)), false, params);
  return kind;
}

/** Classifies the amount's tail p-value (and counts a tail hit for the scan). */
function tailKind(state: AgentState, ctx: ActionContext, p: number): number {
  if (!(p < TAIL_HIT)) return AMOUNT_ORDINARY;
  const run = hitsBefore(state, ctx, SCAN_SLOTS.amount) >= RUN_HITS;
  addHit(state, ctx, SCAN_SLOTS.amount);
  return run ? AMOUNT_TAIL_RUN : AMOUNT_TAIL;
}

/** Another tail hit this recent (weighted ≥ 0.5: within about seven minutes) makes this one part of a run. */
const RUN_HITS = 0.5;

/** Prior rate of new counterparties for a new agent: it meets many. */
const PRIOR_NOVELTY = 0.2;
export const MIN_NOVELTY = 0.002;

export function isKnownCounterparty(state: AgentState, ctx: ActionContext): boolean {
  const cp = ctx.counterparty;
  if (cp === undefined) return true;
  return state.counterparties.has(cp) || (ctx.baseline?.preferred_counterparties?.includes(cp) ?? false);
}

export function scoreCounterparty(state: AgentState, ctx: ActionContext, known: boolean): void {
  if (known || ctx.counterparty === undefined) return;
  const { params } = ctx;
  const w = state.trained / (state.trained + params.priorEvents);
  const rate = Math.max(w * state.novelCounterpartyRate + (1 - w) * PRIOR_NOVELTY, MIN_NOVELTY);
  const s = scanSurprise(state, ctx, SCAN_SLOTS.counterparty_novelty, rate, rate, true);
  addHit(state, ctx, SCAN_SLOTS.counterparty_novelty);
  recordEvidence(state, 'counterparty_novelty', s, ctx.t, ctx.counterparty, state.counterparties.size, false, params);
}

export function trainCounterparty(state: AgentState, ctx: ActionContext, known: boolean): void {
  const cp = ctx.counterparty;
  if (cp === undefined) return;
  const alpha = Math.max(ctx.params.momentAlpha, 1 / (state.trained + 1));
  state.novelCounterpartyRate += alpha * ((known ? 0 : 1) - state.novelCounterpartyRate);
  const entry = state.counterparties.get(cp);
  if (entry) {
    entry.count += 1;
    entry.last = Math.max(entry.last, ctx.t);
    return;
  }
  let count = 1;
  if (state.counterparties.size >= ctx.params.counterpartyK) {
    // Space-saving: the newcomer replaces the least frequent (oldest on ties) and inherits its count as error bound.
    let victim: string | undefined;
    let min = Number.POSITIVE_INFINITY;
    let minLast = Number.POSITIVE_INFINITY;
    for (const [key, e] of state.counterparties) {
      if (e.count < min || (e.count === min && e.last < minLast)) {
        victim = key;
        min = e.count;
        minLast = e.last;
      }
    }
    state.counterparties.delete(victim!);
    count = min + 1;
  }
  state.counterparties.set(cp, { count, last: ctx.t });
}

export function scoreOffHours(state: AgentState, ctx: ActionContext): void {
  const { params } = ctx;
  const periods = ctx.baseline?.active_hours;
  if (periods && periods.length > 0) {
    if (periods.some(([a, b]) => inPeriod(ctx.hour, a, b))) return;
    const label = periods.map(([a, b]) => `${a}-${b}`).join(',');
    recordEvidence(state, 'off_hours', surprise(0.01 / 24, params), ctx.t, ctx.hour, label, false, params);
    return;
  }
  if (state.trained < params.warmupEvents || ctx.t - state.createdAt < 3 * 86_400_000) return;
  let total = 0;
  for (let h = 0; h < 24; h += 1) total += state.profile[h]!;
  const smooth = 0.5;
  const norm = total + 24 * smooth;
  const mine = (state.profile[ctx.hour]! + smooth) / norm;
  if (mine >= 0.5 / 24) return;
  // p-value: the mass of all hours at most as likely as this one.
  let p = 0;
  for (let h = 0; h < 24; h += 1) {
    const q = (state.profile[h]! + smooth) / norm;
    if (q <= mine) p += q;
  }
  const usual = activePeriods(Array.from(state.profile))
    .map(([a, b]) => `${a}-${b}`)
    .join(',');
  recordEvidence(state, 'off_hours', surprise(p, params, state.dailyActions), ctx.t, ctx.hour, usual, false, params);
}

export function inPeriod(hour: number, start: number, end: number): boolean {
  return start <= end ? hour >= start && hour < end : hour >= start || hour < end;
}

/** Hours holding at least a third of the average hour's activity, merged into [start, end) periods. */
export function activePeriods(counts: number[]): [number, number][] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return [];
  const active = counts.map((c) => c >= total / 24 / 3);
  if (active.every(Boolean)) return [[0, 24]];
  const periods: [number, number][] = [];
  const startAt = active.indexOf(false);
  for (let k = 1; k <= 24; k += 1) {
    const h = (startAt + k) % 24;
    if (active[h] && !active[(h + 23) % 24]) periods.push([h, h]);
    if (active[h]) periods[periods.length - 1]![1] = (h + 1) % 24 || 24;
  }
  return periods.sort((a, b) => a[0] - b[0]);
}

export function trainProfile(state: AgentState, ctx: ActionContext): void {
  const dt = ctx.now - state.clock;
  if (dt > 0) {
    const f = 2 ** (-dt / ctx.params.profileHalfLifeMs);
    for (let h = 0; h < 24; h += 1) state.profile[h] = state.profile[h]! * f;
  }
  const late = ctx.now - ctx.t;
  state.profile[ctx.hour] = state.profile[ctx.hour]! + (late > 0 ? 2 ** (-late / ctx.params.profileHalfLifeMs) : 1);
}
