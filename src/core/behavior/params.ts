/**
 * Every tunable of the behaviour model, with the reason for its default. docs/behavior.md explains the model; the
 * defaults were tuned with the attack simulator on seed 1 (`npm run simulate -- --seed 1`) and reported on others.
 */
export const SIGNALS = [
  'rate_1m',
  'rate_10m',
  'rate_1h',
  'rate_locked_p95',
  'amount',
  'counterparty_novelty',
  'off_hours',
  'origin_new',
  'origin_travel',
  'sequence',
  'counterparty_spread',
  'drift',
] as const;
export type SignalName = (typeof SIGNALS)[number];

export interface BehaviorParams {
  /** Score = 1 − e^(−S/τ). τ = 2.4 puts the default warning (0.75) at S ≈ 3.3 and revocation (0.85) at S ≈ 4.55. */
  tau: number;
  /** −log₁₀ p is capped here so that one saturated signal cannot say more than "one in a million". */
  surpriseCap: number;
  /** p-values at or above this are ordinary variation and contribute nothing (keeps calm agents at score 0). */
  pFloor: number;
  weights: Record<SignalName, number>;
  /** Half-life (ms) of the evidence a signal keeps after the action that raised it: a quiet agent calms down. */
  evidenceHalfLifeMs: number;
  /**
   * Per-action signals (amount, counterparty, origin) add up while their evidence lasts, times this gain: several
   * independently surprising actions are more evidence than one (Fisher's method, damped).
   */
  accumulationGain: number;
  /** Rate horizons (ms): exponentially weighted counts with these time constants. */
  horizonsMs: [number, number, number];
  /** Events before the agent's own history fully replaces the population prior (prior weight = n0 pseudo-events). */
  priorEvents: number;
  /** During warm-up (fewer than this many baseline events) rate signals alone never auto-revoke. */
  warmupEvents: number;
  /** Weight of one new observation in the running moments (≈ 1/window in events). */
  momentAlpha: number;
  /** Top-K sizes and other bounds that keep the state small (docs/behavior.md: state size). */
  counterpartyK: number;
  actionAlphabet: number;
  originSlots: number;
  recentIds: number;
  /** Two origins of one certificate in different regions within this span (ms) look like a copied credential. */
  travelWindowMs: number;
  /** Span (ms) over which distinct counterparties are counted for the spread signal. */
  spreadWindowMs: number;
  /** Page-Hinkley on daily aggregates: allowed slack δ and alarm level λ (in units of the daily statistic's σ). */
  driftDelta: 2;
  driftLambda: number;
  /** DDSketch relative accuracy and bin limit for amounts (2 rotating sketches, each covering `sketchSpanMs`). */
  sketchAccuracy: number;
  sketchBins: number;
  sketchSpanMs: number;
  /** Half-life (ms) of the hour-of-day profile. */
  profileHalfLifeMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_PARAMS: BehaviorParams = {
  tau: 2.4,
  surpriseCap: 6,
  pFloor: 0.05,
  weights: {
    // The three horizons see the same burst: evidence.ts counts the strongest fully and the others at half weight.
    // Weighted by how well each separates a burst from a benign batch: a minute cannot (batches of 10–40 in 2–6
    // minutes are denser than 100 in 10); ten minutes and an hour can, once a burst outgrows the agent's batches.
    rate_1m: 0.3,
    rate_10m: 0.9,
    rate_1h: 0.7,
    rate_locked_p95: 1.2,
    amount: 1,
    counterparty_novelty: 0.7,
    off_hours: 0.5,
    origin_new: 1.2,
    origin_travel: 1,
    sequence: 0.8,
    counterparty_spread: 0.8,
    // 6 × 0.7 = 4.2 → score 0.83: drift alone can warn (from −log₁₀ p ≥ 4.8), never reach the default revocation.
    drift: 0.7,
  },
  evidenceHalfLifeMs: 20 * MINUTE,
  accumulationGain: 0.6,
  horizonsMs: [MINUTE, 10 * MINUTE, HOUR],
  priorEvents: 30,
  warmupEvents: 100,
  momentAlpha: 1 / 300,
  counterpartyK: 16,
  actionAlphabet: 12,
  originSlots: 8,
  recentIds: 64,
  travelWindowMs: 15 * MINUTE,
  spreadWindowMs: 10 * MINUTE,
  // A day up to 2σ above the reference is ordinary (2 % of days); a drift worth catching within two days moves the
  // daily mean by several σ. With δ = 1, ordinary days accumulated into false alarms and weaker ones (seed 1).
  driftDelta: 2,
  driftLambda: 4,
  sketchAccuracy: 0.05,
  sketchBins: 64,
  sketchSpanMs: 7 * DAY,
  profileHalfLifeMs: 14 * DAY,
};

export function resolveParams(overrides: Partial<BehaviorParams> = {}): BehaviorParams {
  return { ...DEFAULT_PARAMS, ...overrides, weights: { ...DEFAULT_PARAMS.weights, ...overrides.weights } };
}
