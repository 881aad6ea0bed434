/**
 * Scan statistic for per-action signals: one action in the agent's 1 % tail is ordinary over a day of actions; several
 * within ten minutes are not. With k such "hits" among the m actions of the last ten minutes (exponentially
 * weighted), and q the per-action chance of a hit, P(Poisson(m·q) ≥ k) is Bonferroni-adjusted by the number of
 * ten-minute windows a day holds; a single action's own p-value is adjusted by the actions a day holds. The signal's
 * surprise is the larger of the two, so one extreme action and a run of moderately unusual ones both count.
 */
import type { ActionContext } from './context.js';
import { surprise } from './evidence.js';
import type { AgentState } from './state.js';
import { poissonTail } from './tail.js';

export const SCAN_SLOTS = { amount: 0, counterparty_novelty: 1, origin_new: 2 } as const;
export type ScanSlot = (typeof SCAN_SLOTS)[keyof typeof SCAN_SLOTS];

export function scanSurprise(
  state: AgentState,
  ctx: ActionContext,
  slot: ScanSlot,
  single: number,
  q: number,
  hit: boolean,
): number {
  const { params } = ctx;
  const day = state.dailyActions;
  const own = surprise(single, params, day);
  if (!hit) return own;
  const k = Math.round(hitsBefore(state, ctx, slot) + 1);
  const m = Math.max(ctx.windowActions, k);
  const mean = Math.max(m * q, 1e-9);
  const scan = k >= 2 ? surprise(poissonTail(k, mean), params, Math.max(1, day / m)) : 0;
  return Math.max(own, scan);
}

/** Tail hits of this signal in the last ten minutes or so (exponentially weighted), before this action. */
export function hitsBefore(state: AgentState, ctx: ActionContext, slot: ScanSlot): number {
  const late = ctx.now - ctx.t;
  return state.hits[slot]! * (late > 0 ? Math.exp(-late / ctx.params.horizonsMs[1]!) : 1);
}

/** Counts a hit (decayed like the ten-minute rate, so it ages with the same clock). */
export function addHit(state: AgentState, ctx: ActionContext, slot: ScanSlot): void {
  const late = ctx.now - ctx.t;
  state.hits[slot] = state.hits[slot]! + (late > 0 ? Math.exp(-late / ctx.params.horizonsMs[1]!) : 1);
}
