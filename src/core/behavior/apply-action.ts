/**
 * Applying one action: dedupe by id, score every signal against the baseline as it was before the action, combine,
 * decide warn/revoke for the episode, then (unless the agent is at or above its warning threshold) let the action
 * train the baseline. Exact counters (hourly counts, days, sketches for stats) always advance.
 */
import { type ActionContext, actionContext, DAY_MS } from './context.js';
import { accumulateDrift, scoreDrift } from './drift-signal.js';
import {
  AMOUNT_ORDINARY,
  AMOUNT_TAIL,
  AMOUNT_TAIL_RUN,
  isKnownCounterparty,
  scoreAmount,
  scoreCounterparty,
  scoreOffHours,
  trainCounterparty,
  trainProfile,
} from './event-signals.js';
import { pruneEvidence, scoreState } from './evidence.js';
import { hash32 } from './hash.js';
import { advanceOriginNovelty, originFacts, scoreOrigin, updateOrigins } from './origin-signals.js';
import type { BehaviorParams } from './params.js';
import { addToRates, advanceRates, countHourly, othersInHorizons, scoreRates, trainRates } from './rate-signals.js';
import { actionIndex, advanceSequence, scoreSequence, trainSequence } from './sequence-signal.js';
import { distinctRecent, rememberRecent, scoreSpread, trainSpread } from './spread-signal.js';
import { type AgentState, DAY_SLOTS, newSketchPair } from './state.js';
import type { ApplyResult, BehaviorAction, BehaviorSettings, LockedBaseline } from './types.js';

export function applyAction(
  state: AgentState,
  action: BehaviorAction,
  settings: BehaviorSettings,
  baseline: LockedBaseline | undefined,
  params: BehaviorParams,
): ApplyResult {
  if (!Number.isFinite(action.at)) throw new RangeError('behaviour: action.at must be a finite epoch ms');
  if (typeof action.payload?.action !== 'string') throw new RangeError('behaviour: payload.action must be a string');
  const idHash = hash32(action.id);
  if (state.ids.includes(idHash)) {
    const { assessment } = scoreState(state, state.clock, params);
    return { state, assessment, warn: false, revoke: false, duplicate: true, ...episode(state) };
  }
  state.ids[state.idsHead] = idHash;
  state.idsHead = (state.idsHead + 1) % state.ids.length;

  const ctx = actionContext(action, state.clock, params, baseline);
  const frozenBefore = state.lastScore >= settings.warningThreshold;

  // 1. Score against the baseline as it stands.
  advanceRates(state, ctx);
  advanceOriginNovelty(state, ctx);
  const others = othersInHorizons(state, ctx);
  ctx.windowActions = others[1]! + 1;
  const rateSurprising = scoreRates(state, ctx, others);
  const amountKind = scoreAmount(state, ctx);
  const known = isKnownCounterparty(state, ctx);
  scoreCounterparty(state, ctx, known);
  scoreOffHours(state, ctx);
  const origin = originFacts(state, ctx);
  if (origin) scoreOrigin(state, ctx, origin);
  const index = actionIndex(state, ctx, !frozenBefore);
  scoreSequence(state, ctx, index);
  const distinct = distinctRecent(state, ctx);
  const spreadSurprising = scoreSpread(state, ctx, distinct);
  scoreDrift(state, ctx);

  const scored = scoreState(state, ctx.now, params);
  const score = scored.assessment.score;
  const calm = !frozenBefore && score < settings.warningThreshold;
  // What a certificate does from an origin it has not established (a redeploy's first hour, or a copy of it) is not
  // the agent's baseline yet: it is scored, but it teaches nothing, so a thief's new payee stays new.
  const train = calm && !origin?.unestablished;

  // 2. Episode: warn once when it starts; revoke (enforce) whenever the revocable part alone reaches the threshold.
  let warn = false;
  if (score >= settings.warningThreshold) {
    if (state.episodeStart === 0) {
      state.episodeStart = ctx.t;
      warn = true;
    }
  } else {
    state.episodeStart = 0;
  }
  const revoke =
    settings.mode === 'enforce' &&
    score >= settings.anomalyThreshold &&
    scored.revocableScore >= settings.anomalyThreshold;

  // 3. Learn (or, frozen, only count).
  addToRates(state, ctx);
  // During warm-up the rate moments keep learning even when frozen: they cannot revoke then, and a new agent whose
  // normal pace differs from the prior must not stay flagged forever.
  if (train || state.trained < params.warmupEvents) trainRates(state, ctx, others, rateSurprising);
  if (train) {
    trainProfile(state, ctx);
    trainCounterparty(state, ctx, known);
    trainSpread(state, ctx, distinct, spreadSurprising);
    trainSequence(state, ctx, index);
    learnAmount(state, ctx, amountKind);
  } else {
    decayProfile(state, ctx);
    state.pendingAmount = 0; // a tail amount followed by an anomaly episode is not learnt
  }
  if (origin) updateOrigins(state, ctx, origin, calm);
  rememberRecent(state, ctx);
  advanceSequence(state, ctx, index);
  accumulateDrift(state, ctx, train, amountKind !== AMOUNT_ORDINARY);
  countHourly(state, ctx.t);
  countDay(state, ctx);
  state.events += 1;
  if (train) state.trained += 1;
  state.clock = ctx.now;
  state.lastScore = score;
  pruneEvidence(state, ctx.now, params);
  return { state, assessment: scored.assessment, warn, revoke, duplicate: false, ...episode(state) };
}

function episode(state: AgentState): { episodeStart?: number } {
  return state.episodeStart === 0 ? {} : { episodeStart: state.episodeStart };
}

/** Keeps the profile's clock moving while frozen, without counting the action. */
function decayProfile(state: AgentState, ctx: ActionContext): void {
  const dt = ctx.now - state.clock;
  if (dt <= 0) return;
  const f = 2 ** (-dt / ctx.params.profileHalfLifeMs);
  for (let h = 0; h < 24; h += 1) state.profile[h] = state.profile[h]! * f;
}

/**
 * An ordinary amount enters the sketch at once. A tail amount waits for the next amount: if that one is a tail amount
 * too (a run, the scan statistic's evidence), neither is learnt; otherwise the isolated one is (about 1 % of a clean
 * agent's amounts are, so the sketch's tail stays honest). Learning the first of a run at once lifted the share of
 * amounts at or above it past 1 % for an agent with a few hundred amounts, and the run's second charge was no longer
 * a tail hit.
 */
function learnAmount(state: AgentState, ctx: ActionContext, kind: number): void {
  if (ctx.amount === undefined) return;
  if (state.pendingAmount > 0 && kind !== AMOUNT_TAIL_RUN) acceptAmount(state, ctx, state.pendingAmount);
  state.pendingAmount = 0;
  if (kind === AMOUNT_ORDINARY) acceptAmount(state, ctx, ctx.amount);
  else if (kind === AMOUNT_TAIL) state.pendingAmount = ctx.amount;
}

function acceptAmount(state: AgentState, ctx: ActionContext, amount: number): void {
  if (ctx.now - state.sketchStart >= ctx.params.sketchSpanMs) {
    state.sketches = [newSketchPair(ctx.params)[0], state.sketches[0]];
    state.sketchStart = ctx.now;
  }
  state.sketches[0].accept(amount);
}

/** Mean actions of the last (up to) seven complete days before `today`, bounded to [10, 10 000]. */
function updateDailyActions(state: AgentState, today: number): void {
  const complete = state.days.filter((d) => d.day < today && d.day >= today - 7);
  if (complete.length === 0) return;
  const span = Math.min(7, today - Math.min(...complete.map((d) => d.day)));
  const mean = complete.reduce((a, d) => a + d.count, 0) / Math.max(span, 1);
  state.dailyActions = Math.min(10_000, Math.max(10, mean));
}

/** Exact per-day totals (stats: count, amounts, max) for the last DAY_SLOTS days. */
function countDay(state: AgentState, ctx: ActionContext): void {
  const day = Math.floor(ctx.t / DAY_MS);
  let record = state.days.find((d) => d.day === day);
  if (!record) {
    const newest = state.days[state.days.length - 1];
    if (newest && day <= newest.day - DAY_SLOTS) return;
    record = { day, count: 0, amounts: 0, volume: 0, maxAmount: 0 };
    state.days.push(record);
    updateDailyActions(state, day);
    state.days.sort((a, b) => a.day - b.day);
    while (state.days.length > DAY_SLOTS) state.days.shift();
    if (!state.days.includes(record)) return;
  }
  record.count += 1;
  if (ctx.amount !== undefined) {
    record.amounts += 1;
    record.volume += ctx.amount;
    record.maxAmount = Math.max(record.maxAmount, ctx.amount);
  }
}
