/**
 * Exfiltration-like sequences: action-to-action transition counts over a bounded alphabet (the first K action names,
 * the rest as "other"); a CUSUM of each transition's log-likelihood ratio ("any action" against the agent's own
 * workflow) says "this run of actions is unlike the agent's usual workflow" (e.g. read → export → send, repeated).
 */
import type { ActionContext } from './context.js';
import { recordEvidence, surprise } from './evidence.js';
import type { AgentState } from './state.js';
import { truncate } from './state.js';

/** Transitions only chain within a session: actions more than this apart start afresh. */
const SESSION_GAP_MS = 3_600_000;
/** The agent needs this many transitions before any surprisal means anything. */
const MIN_ROW = 20;
/** Weight (in transitions) of the marginal as the prior of each row. */
const PRIOR_ROW = 20;
/** Half-life (ms) of the accumulated evidence. */
const CUSUM_HALF_LIFE_MS = 10 * 60_000;
const SMOOTHING = 1;
const MAX_ROW = 5_000;

export function actionIndex(state: AgentState, ctx: ActionContext, train: boolean): number {
  const name = truncate(ctx.action.payload.action);
  const known = state.actions.indexOf(name);
  if (known >= 0) return known;
  if (train && state.actions.length < ctx.params.actionAlphabet) {
    state.actions.push(name);
    return state.actions.length - 1;
  }
  return ctx.params.actionAlphabet; // "other"
}

export function scoreSequence(state: AgentState, ctx: ActionContext, index: number): void {
  const prev = state.prevAction;
  const size = ctx.params.actionAlphabet + 1;
  if (prev < 0 || ctx.t - state.prevActionAt > SESSION_GAP_MS || ctx.t < state.prevActionAt) return;
  const row = state.transitions.subarray(prev * size, prev * size + size);
  const rowTotal = sum(row);
  // The row's own counts with the marginal (how often each action follows any action) as a Dirichlet prior worth
  // PRIOR_ROW transitions: a row with little history (a new or rarely visited action) leans on the marginal, a
  // well-known row on itself. (Falling back to the bare marginal scored a rare action's usual successor, e.g. refund
  // after refund, as rare in itself: each further step of a clean, sticky workflow looked like an attack.)
  let fromPrior = 0;
  let priorTotal = 0;
  if (rowTotal < 50 * PRIOR_ROW) {
    const m = marginal(state, size);
    priorTotal = sum(m);
    if (rowTotal + priorTotal < MIN_ROW) return;
    if (priorTotal > 0) fromPrior = (PRIOR_ROW * m[index]!) / priorTotal;
  }
  const prior = priorTotal > 0 ? PRIOR_ROW : 0;
  const norm = rowTotal + prior + SMOOTHING;
  // The log-likelihood ratio of "any action, uniformly" against the agent's own workflow: under the workflow its
  // 10^LLR has expectation 1, so the CUSUM of it stays below h with probability ≥ 1 − 10^(−h) per start (Ville's
  // inequality): 10^(−CUSUM) is a p-value. (Surprisal minus the row's entropy is not a likelihood ratio and made
  // clean workflows with a few rare transitions look like attacks during every batch.)
  const llr = Math.log10(norm / size / (row[index]! + fromPrior + SMOOTHING / size));
  if (state.sequenceCusum === 0 && llr <= 0) return;
  const decay = 2 ** (-(ctx.t - state.prevActionAt) / CUSUM_HALF_LIFE_MS);
  state.sequenceCusum = Math.max(0, state.sequenceCusum * decay + llr);
  if (state.sequenceCusum <= 0) return;
  let usual = 0;
  for (let j = 1; j < size; j += 1) if (row[j]! > row[usual]!) usual = j;
  const p = 10 ** -state.sequenceCusum;
  const s = surprise(p, ctx.params, state.dailyActions);
  if (s <= 0) return;
  const observed = state.actions[index] ?? 'other';
  recordEvidence(state, 'sequence', s, ctx.t, observed, state.actions[usual] ?? 'other', false, ctx.params);
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function marginal(state: AgentState, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < state.transitions.length; i += 1) out[i % size] = out[i % size]! + state.transitions[i]!;
  return out;
}

export function trainSequence(state: AgentState, ctx: ActionContext, index: number): void {
  const prev = state.prevAction;
  const size = ctx.params.actionAlphabet + 1;
  if (prev < 0 || ctx.t - state.prevActionAt > SESSION_GAP_MS || ctx.t < state.prevActionAt) return;
  const at = prev * size + index;
  state.transitions[at] = state.transitions[at]! + 1;
  let rowTotal = 0;
  for (let j = 0; j < size; j += 1) rowTotal += state.transitions[prev * size + j]!;
  if (rowTotal > MAX_ROW) for (let j = 0; j < size; j += 1) state.transitions[prev * size + j]! /= 2;
}

/** The chain moves on with every in-order action (late ones do not rewrite history). */
export function advanceSequence(state: AgentState, ctx: ActionContext, index: number): void {
  if (ctx.t < state.prevActionAt) return;
  state.prevAction = index;
  state.prevActionAt = ctx.t;
}
