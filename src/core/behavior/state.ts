/**
 * The per-agent behaviour state: everything the engine remembers about one agent, bounded by construction (every
 * collection has a fixed capacity), so the stored item stays a few KiB however long the agent lives.
 */
import { newSketch, type Sketch } from './amount-sketch.js';
import { COUNT_BINS } from './count-histogram.js';
import type { BehaviorParams, SignalName } from './params.js';

export const HOURLY_SLOTS = 720; // 30 days of exact hourly counts (stats windows up to 30d)
export const DAY_SLOTS = 31;
export const RECENT_SLOTS = 32; // recent (time, counterparty) pairs for the spread signal
export const MAX_TEXT = 64;
/** Prior for the actions an agent does per day, before it has a complete day of its own. */
export const DEFAULT_DAILY_ACTIONS = 100; // counterparties, actions, regions, prefixes are truncated to this many characters

export interface DayRecord {
  day: number; // days since the epoch (UTC)
  count: number;
  amounts: number;
  volume: number;
  maxAmount: number;
}

export interface CounterpartyEntry {
  count: number;
  last: number;
}

export interface OriginEntry {
  cert: number; // hash32 of the certificate fingerprint ('' when unknown)
  prefix: string;
  ua: number; // hash32 of the user agent (0 when absent)
  region: string;
  count: number;
  first: number;
  last: number;
}

export interface Evidence {
  s: number; // −log10 p after flooring and capping, as of `at`
  at: number;
  observed: number | string;
  baseline: number | string;
}

/** Page-Hinkley state for one daily statistic (upward changes only: less activity is not a threat). */
export interface DriftTrack {
  mean: number;
  variance: number;
  days: number;
  /** The CUSUM form of Page-Hinkley: max(0, previous + z − δ), in standard deviations. */
  cum: number;
  /** The last day's value fed in. */
  last: number;
}

export interface AgentState {
  agentId: string;
  createdAt: number;
  clock: number; // the latest `at` applied
  events: number;
  trained: number; // events that updated the baseline
  // Rates: exponentially weighted counts at three horizons (as of `clock`) and the moments of the count of *other*
  // actions seen at each action, which the negative binomial is fitted to.
  rateCount: Float64Array;
  rateMean: Float64Array;
  rateVar: Float64Array;
  /** Decayed histograms (count-histogram.ts) of the same counts, one per horizon, then one for the spread. */
  rateHist: Float64Array;
  spreadHist: Float64Array;
  /**
   * Per rate horizon, the highest histogram bin the agent's own counts have reached, and the day (since the epoch) a
   * tail count last raised it: the range grows by at most one bin a day (count-histogram.ts, `recordBounded`).
   */
  rateCeiling: Uint8Array;
  rateCeilingDay: Uint32Array;
  /** Per-action signals' recent tail hits (scan.ts), decayed like the ten-minute rate. */
  hits: Float64Array;
  profile: Float64Array; // hour-of-day, decayed, as of `clock`
  hourly: Uint32Array; // exact counts per UTC hour, ring indexed by hour since the epoch
  hourlyHead: number; // the hour since the epoch of the newest slot (−1: none)
  days: DayRecord[]; // oldest first, at most DAY_SLOTS
  sketches: [Sketch, Sketch]; // [current span, previous span]
  sketchStart: number;
  /** An isolated tail amount waiting to be learnt (0: none): learnt unless the next amount makes it a run. */
  pendingAmount: number;
  counterparties: Map<string, CounterpartyEntry>;
  novelCounterpartyRate: number;
  actions: string[]; // bounded alphabet; index actions.length means "other"
  transitions: Float64Array; // (alphabet+1)², row = previous action
  prevAction: number;
  prevActionAt: number;
  sequenceCusum: number;
  origins: OriginEntry[];
  /** Decayed count of new-origin sightings (60-day half-life): origin-signals.ts turns it into a rate per day. */
  novelOriginRate: number;
  ids: Float64Array; // ring of hash32(action id) (−1: empty)
  idsHead: number;
  recentCp: Float64Array; // hash32 of counterparty, ring
  recentAt: Float64Array;
  recentHead: number;
  spreadMean: number;
  spreadVar: number;
  driftDay: number; // the day the running aggregate is for (−1: none)
  driftCount: number;
  driftLogAmount: number;
  driftLogAmountSquares: number;
  driftAmounts: number;
  driftTracks: [DriftTrack, DriftTrack]; // [daily count, daily mean log amount]
  evidence: Map<SignalName, Evidence>;
  episodeStart: number; // 0: not in an episode
  /** Expected actions per day (mean of the last complete days): the number of tests a day's evidence is spread over. */
  dailyActions: number;
  lastScore: number;
  /** A memo of the last address's network prefix (origin-signals.ts); not encoded. */
  lastIp: string;
  lastPrefix: string;
}

export function createState(agentId: string, now: number, params: BehaviorParams): AgentState {
  const alphabet = params.actionAlphabet + 1;
  return {
    agentId,
    createdAt: now,
    clock: now,
    events: 0,
    trained: 0,
    rateCount: new Float64Array(3),
    rateMean: new Float64Array(3),
    rateVar: new Float64Array(3),
    rateHist: new Float64Array(3 * COUNT_BINS),
    spreadHist: new Float64Array(COUNT_BINS),
    rateCeiling: new Uint8Array(3),
    rateCeilingDay: new Uint32Array(3),
    hits: new Float64Array(3),
    profile: new Float64Array(24),
    hourly: new Uint32Array(HOURLY_SLOTS),
    hourlyHead: -1,
    days: [],
    sketches: newSketchPair(params),
    sketchStart: now,
    pendingAmount: 0,
    counterparties: new Map(),
    novelCounterpartyRate: 0,
    actions: [],
    transitions: new Float64Array(alphabet * alphabet),
    prevAction: -1,
    prevActionAt: 0,
    sequenceCusum: 0,
    origins: [],
    novelOriginRate: 0,
    ids: new Float64Array(params.recentIds).fill(-1),
    idsHead: 0,
    recentCp: new Float64Array(RECENT_SLOTS).fill(-1),
    recentAt: new Float64Array(RECENT_SLOTS),
    recentHead: 0,
    spreadMean: 0,
    spreadVar: 0,
    driftDay: -1,
    driftCount: 0,
    driftLogAmount: 0,
    driftLogAmountSquares: 0,
    driftAmounts: 0,
    driftTracks: [newTrack(), newTrack()],
    evidence: new Map(),
    episodeStart: 0,
    dailyActions: DEFAULT_DAILY_ACTIONS,
    lastScore: 0,
    lastIp: '',
    lastPrefix: '',
  };
}

export function newSketchPair(params: BehaviorParams): [Sketch, Sketch] {
  return [newSketch(params.sketchAccuracy, params.sketchBins), newSketch(params.sketchAccuracy, params.sketchBins)];
}

export function newTrack(): DriftTrack {
  return { mean: 0, variance: 0, days: 0, cum: 0, last: 0 };
}

export function isAgentState(value: unknown): value is AgentState {
  return typeof value === 'object' && value !== null && (value as AgentState).rateCount instanceof Float64Array;
}

export function truncate(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}
