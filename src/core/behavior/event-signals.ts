/**
 * Per-action signals: amount tail (vs the sketch, or vs the locked p50/p99), counterparty novelty, off-hours
 * activity (vs the hour-of-day profile, or vs the locked active hours) and counterparty spread (many distinct
 * counterparties or resources in a short span, exfiltration-like).
 */
import { countAtOrAbove, mergedQuantile } from './amount-sketch.js';
import type { ActionContext } from './context.js';
import { empiricalTail, recordCount } from './count-histogram.js';
import { recordEvidence, surprise } from './evidence.js';
import { hash32 } from './hash.js';
import { HISTOGRAM_ALPHA, histogramMass, MIN_HISTOGRAM, TAIL, TAIL_WEIGHT } from './rate-signals.js';
import { addHit, hitsBefore, SCAN_SLOTS, scanSurprise } from './scan.js';
import { type AgentState, RECENT_SLOTS } from './state.js';
import { blendMoments, negativeBinomialTail, normalTail, updateMoments } from './tail.js';

/** Amounts needed before the agent's own distribution is trusted (there is no population prior for amounts). */
const MIN_AMOUNTS = 20;
const Z99 = 2.326;
/** An amount in the agent's top 1 % is a tail hit for the scan statistic. */
const TAIL_HIT = 0.01;

/** What scoreAmount saw: an ordinary amount, one in the agent's 1 % tail, or a tail amount in a run of them. */
export const AMOUNT_ORDINARY = 0;
export const AMOUNT_TAIL = 1;
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
  if (locked && locked.p50 > 0 && locked.p99 > locked.p50) {
    // A log-normal through the locked p50 and p99.
    const sigma = (Math.log(locked.p99) - Math.log(locked.p50)) / Z99;
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
const MIN_NOVELTY = 0.002;

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
