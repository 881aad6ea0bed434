/**
 * The behaviour engine (issue 11, docs/behavior.md): pure scoring of an agent's verified actions against its own
 * rolling baseline (or a locked one), with explainable contributions. No I/O, no clock, no randomness: the pipeline
 * (stream consumer, state table, routes) and `kakunin backtest` drive it with the same calls.
 * @example
 *   const engine = createBehaviorEngine();
 *   let state = engine.create(agentId, now);
 *   const { assessment, warn, revoke } = engine.apply(state, action, settings, lockedBaseline);
 *   const bytes = engine.encode(state); // store; later: state = engine.decode(bytes)
 */
import { applyAction } from './apply-action.js';
import { scoreState } from './evidence.js';
import { type BehaviorParams, resolveParams } from './params.js';
import { type AgentState, createState, isAgentState } from './state.js';
import { decodeState, encodeState } from './state-codec.js';
import { computeStats } from './stats.js';
import type { BehaviorEngine } from './types.js';

export { type BacktestConfig, backtestConfigSchema, lockedBaselineSchema } from './baseline-schema.js';
export type { BehaviorParams, SignalName } from './params.js';
export { DEFAULT_PARAMS, SIGNALS } from './params.js';
export { windowHours } from './stats.js';
export type * from './types.js';

export function createBehaviorEngine(overrides?: Partial<BehaviorParams>): BehaviorEngine {
  const params = resolveParams(overrides);
  const asState = (value: unknown): AgentState => {
    if (!isAgentState(value)) throw new TypeError('behaviour: not a state created by this engine');
    return value;
  };
  return {
    create: (agentId, now) => createState(agentId, now, params),
    apply: (state, action, settings, baseline) => applyAction(asState(state), action, settings, baseline, params),
    assess: (state, now, _settings, _baseline) => scoreState(asState(state), now, params).assessment,
    stats: (state, window, now) => computeStats(asState(state), window, now, params),
    encode: (state) => encodeState(asState(state), params),
    decode: (bytes) => decodeState(bytes, params),
  };
}
