/** What the signal modules share about the action being applied. */
import type { BehaviorParams } from './params.js';
import { truncate } from './state.js';
import type { BehaviorAction, LockedBaseline } from './types.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface ActionContext {
  action: BehaviorAction;
  /** When the action happened. */
  t: number;
  /** The state's clock after this action: max(previous clock, t). */
  now: number;
  hour: number;
  amount: number | undefined;
  /** The counterparty, or failing that a `resource` the action touched (exfiltration-like spread). */
  counterparty: string | undefined;
  params: BehaviorParams;
  baseline: LockedBaseline | undefined;
  /** Actions in the last ten minutes, this one included (exponentially weighted); set once rates are read. */
  windowActions: number;
}

export function actionContext(
  action: BehaviorAction,
  clock: number,
  params: BehaviorParams,
  baseline: LockedBaseline | undefined,
): ActionContext {
  const t = action.at;
  const { amount, counterparty, resource } = action.payload;
  const target = typeof counterparty === 'string' ? counterparty : typeof resource === 'string' ? resource : undefined;
  return {
    action,
    t,
    now: Math.max(clock, t),
    hour: Math.floor((((t % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS),
    amount: typeof amount === 'number' && Number.isFinite(amount) && amount >= 0 ? amount : undefined,
    counterparty: target === undefined || target === '' ? undefined : truncate(target),
    params,
    baseline,
    windowActions: 1,
  };
}
