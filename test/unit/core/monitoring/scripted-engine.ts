/**
 * A tiny BehaviorEngine for the pipeline's unit tests: each action's `payload.score` IS its score, so a test scripts
 * exactly when an episode starts, warns and revokes and checks what the pipeline does with it. It keeps the real
 * engine's contract (idempotent by id, episode bookkeeping, warn once per episode, revoke only in enforce mode);
 * the scoring model itself is tested by the engine's own suite, and the end-to-end tests run the real engine.
 */
import type { BehaviorEngine, RiskAssessment } from '../../../../src/core/behavior/index.js';
import { riskBand } from '../../../../src/core/model.js';

interface ScriptedState {
  agentId: string;
  seen: string[];
  score: number;
  at: number;
  episodeStart?: number;
  warned: boolean;
  revoked: boolean;
  applied: number;
}

const assessment = (state: ScriptedState): RiskAssessment => ({
  score: state.score,
  band: riskBand(state.score),
  contributions:
    state.score === 0
      ? []
      : [{ signal: 'scripted', weight: 1, value: 1, observed: state.score, baseline: 0, detail: 'scripted score' }],
  at: state.at,
});

export function scriptedEngine(): BehaviorEngine {
  return {
    create: (agentId, now) => ({ agentId, seen: [], score: 0, at: now, warned: false, revoked: false, applied: 0 }),
    apply(input, action, settings) {
      const previous = input as ScriptedState;
      if (previous.seen.includes(action.id)) {
        return { state: previous, assessment: assessment(previous), warn: false, revoke: false, duplicate: true };
      }
      const state: ScriptedState = structuredClone(previous);
      state.seen.push(action.id);
      state.applied += 1;
      state.score = typeof action.payload.score === 'number' ? action.payload.score : 0;
      state.at = Math.max(state.at, action.at);
      let warn = false;
      let revoke = false;
      if (state.score >= settings.warningThreshold) {
        state.episodeStart ??= action.at;
        if (!state.warned) warn = state.warned = true;
        if (settings.mode === 'enforce' && state.score >= settings.anomalyThreshold && !state.revoked) {
          revoke = state.revoked = true;
        }
      } else {
        delete state.episodeStart;
        state.warned = false;
        state.revoked = false;
      }
      return {
        state,
        assessment: assessment(state),
        warn,
        revoke,
        duplicate: false,
        ...(state.episodeStart === undefined ? {} : { episodeStart: state.episodeStart }),
      };
    },
    assess: (state) => assessment(state as ScriptedState),
    stats: (state, window) => ({
      window,
      count: (state as ScriptedState).applied,
      transaction_size: { p50: 0, p95: 0, p99: 0, max: 0 },
      frequency: { per_hour: { p50: 0, p95: 0, max: 0 } },
      counterparty_distribution: [],
      hour_of_day: { counts: Array<number>(24).fill(0), activePeriods: [] },
    }),
    encode: (state) => new TextEncoder().encode(JSON.stringify(state)),
    decode: (bytes) => {
      const parsed = JSON.parse(new TextDecoder().decode(bytes)) as ScriptedState;
      if (!Array.isArray(parsed.seen)) throw new Error('not a scripted state');
      return parsed;
    },
  };
}
