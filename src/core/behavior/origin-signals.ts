/**
 * Origin change, modelled on GuardDuty's credential-exfiltration finding: a certificate used from an origin (network
 * /24 or /48, user agent, region) it has not established, and the same certificate in use from two origins at once:
 * an established origin still active after a new one appeared (a copied credential; a redeploy switches over instead),
 * the stronger when they are in different regions (impossible travel). Origins are tracked per certificate in a few
 * slots, least recently seen evicted.
 */
import type { ActionContext } from './context.js';
import { recordEvidence, surprise } from './evidence.js';
import { hash32, networkPrefix } from './hash.js';
import { addHit, SCAN_SLOTS, scanSurprise } from './scan.js';
import { type AgentState, type OriginEntry, truncate } from './state.js';

/**
 * New origins arrive in time (a redeploy every few weeks), not per action: the rate is new-origin sightings per day,
 * (sightings + PRIOR_SIGHTINGS) / (days observed + PRIOR_DAYS), both decayed with NOVELTY_HALF_LIFE_DAYS (a prior of
 * one new origin per 20 days). Counted per action with a prior of 30 pseudo-actions, a busy agent's 1-in-1,500 rate
 * times its 100 actions a day said "a new origin on one day in ten" long after weeks without one.
 */
const PRIOR_SIGHTINGS = 0.5;
const PRIOR_DAYS = 10;
const NOVELTY_HALF_LIFE_DAYS = 60;
const NEW_DEPLOYMENT_NOVELTY = 0.05;
const DAY_MS = 86_400_000;
/** An origin is established once seen this many times over at least this long. */
const CONFIRM_COUNT = 5;
const CONFIRM_MS = 3_600_000;
/** Extra likelihood factor when the user agent, or the region, is also new for the certificate. */
const ALSO_NEW_FACTOR = 0.3;
/** p-values of concurrent use: same region from another network; another region (impossible travel). */
const CONCURRENT_P = 1e-2;
const TRAVEL_P = 1e-4;

export interface OriginFacts {
  cert: number;
  prefix: string;
  ua: number;
  region: string;
  match: OriginEntry | undefined;
  novel: boolean;
  /** Novel, or seen but not yet established while the certificate has other origins: not the agent's baseline. */
  unestablished: boolean;
}

export function established(o: OriginEntry): boolean {
  return o.count >= CONFIRM_COUNT && o.last - o.first >= CONFIRM_MS;
}

/**
 * The user agent's product (the token before the first "/" or space): an SDK upgrade (kakunin-sdk/1.4 → 1.5) is the
 * same client, another client (python-requests/2.31) is not.
 */
export function clientFamily(userAgent: string): string {
  const end = userAgent.search(/[/\s]/);
  return (end < 0 ? userAgent : userAgent.slice(0, end)).toLowerCase().slice(0, 64);
}

/** Most actions come from the address before them: the state remembers the last one's network (not stored). */
function prefixOf(state: AgentState, ip: string): string {
  if (ip !== state.lastIp) {
    state.lastIp = ip;
    state.lastPrefix = truncate(networkPrefix(ip));
  }
  return state.lastPrefix;
}

export function originFacts(state: AgentState, ctx: ActionContext): OriginFacts | undefined {
  const origin = ctx.action.origin;
  if (!origin || (origin.ip === undefined && origin.userAgent === undefined && origin.region === undefined)) {
    return undefined;
  }
  const cert = hash32(ctx.action.certificateFingerprint ?? '');
  const prefix = origin.ip ? prefixOf(state, origin.ip) : '';
  const ua = origin.userAgent ? hash32(clientFamily(origin.userAgent)) : 0;
  const region = truncate(origin.region ?? '');
  const mine = state.origins.filter((o) => o.cert === cert);
  const match = mine.find((o) => (prefix !== '' ? o.prefix === prefix : o.ua === ua && o.region === region));
  // A certificate's first origin is its baseline: nothing to compare with yet.
  const novel = mine.length > 0 && match === undefined;
  const young = match !== undefined && !established(match) && mine.length > 1;
  return { cert, prefix, ua, region, match, novel, unestablished: novel || young };
}

/** Ages the count of new-origin sightings to the action's clock (called for every action, with an origin or not). */
export function advanceOriginNovelty(state: AgentState, ctx: ActionContext): void {
  if (state.novelOriginRate > 0 && ctx.now > state.clock) {
    state.novelOriginRate *= 2 ** (-(ctx.now - state.clock) / (NOVELTY_HALF_LIFE_DAYS * DAY_MS));
  }
}

/** New-origin sightings per day expected for this agent (see PRIOR_SIGHTINGS). */
export function originsPerDay(state: AgentState, ctx: ActionContext): number {
  const half = NOVELTY_HALF_LIFE_DAYS;
  const age = Math.max(0, ctx.now - state.createdAt) / DAY_MS;
  const exposure = (half / Math.LN2) * (1 - 2 ** (-age / half));
  return (state.novelOriginRate + PRIOR_SIGHTINGS) / (exposure + PRIOR_DAYS);
}

export function scoreOrigin(state: AgentState, ctx: ActionContext, facts: OriginFacts): void {
  const { params } = ctx;
  const mine = state.origins.filter((o) => o.cert === facts.cert);
  const young = facts.unestablished && !facts.novel;
  const others = mine.filter((o) => o !== facts.match);
  const regionKnown = facts.region === '' || mine.some((o) => established(o) && o.region === facts.region);
  if (facts.unestablished) {
    // Per action, as the scan statistic counts: the day's rate spread over the day's actions; during warm-up blended
    // with a new deployment's prior (its first origins, a second region, come online together: 1 action in 20).
    let q = Math.min(1, originsPerDay(state, ctx) / state.dailyActions);
    if (state.trained < params.warmupEvents) {
      const w = state.trained / (state.trained + params.priorEvents);
      q = w * q + (1 - w) * NEW_DEPLOYMENT_NOVELTY;
    }
    let p = q;
    if (facts.ua !== 0 && !others.some((o) => o.ua === facts.ua)) p *= ALSO_NEW_FACTOR;
    if (facts.region !== '' && !others.some((o) => o.region === facts.region)) p *= ALSO_NEW_FACTOR;
    const known = others.map((o) => o.prefix || o.region).join(', ');
    // A first sighting is a scan hit; a young origin's later uses are too, but only from a region or with a client
    // the certificate has not established (a redeploy keeps both: its later uses are the same evidence again).
    const uaKnown = facts.ua === 0 || mine.some((o) => established(o) && o.ua === facts.ua);
    const hit = facts.novel || !regionKnown || !uaKnown;
    const s = scanSurprise(state, ctx, SCAN_SLOTS.origin_new, p, q, hit);
    if (hit) addHit(state, ctx, SCAN_SLOTS.origin_new);
    recordEvidence(state, 'origin_new', s, ctx.t, originLabel(facts), known, false, params);
  }
  // Concurrent use. Another region this certificate has not established, active within the window: impossible
  // travel. The same region from another network: parallel use once the two interleave (a redeploy switches over,
  // so a first sighting alone is not counted). A deployment that spans established regions is neither.
  for (const o of others) {
    if (ctx.t - o.last > params.travelWindowMs) continue;
    let p = 1;
    if (!regionKnown && o.region !== '' && o.region !== facts.region) {
      p = TRAVEL_P;
    } else if (o.region === facts.region && young) {
      if (o.last > facts.match!.first) p = CONCURRENT_P;
    } else if (o.region === facts.region && !facts.novel && !young && !established(o) && o.first < ctx.t) {
      p = CONCURRENT_P;
    }
    if (p === 1) continue;
    const s = surprise(p, params);
    recordEvidence(state, 'origin_travel', s, ctx.t, originLabel(facts), o.prefix || o.region, false, params);
    break;
  }
}

function originLabel(facts: OriginFacts): string {
  return [facts.prefix, facts.region].filter(Boolean).join(' ') || 'an unknown origin';
}

/**
 * Seen-counts always advance and new origins are always kept (the concurrency check needs the thief's origin too);
 * only the novelty count, a baseline, is frozen. `novelOriginRate` holds the decayed count of new-origin sightings.
 */
export function updateOrigins(state: AgentState, ctx: ActionContext, facts: OriginFacts, train: boolean): void {
  if (train && facts.novel) state.novelOriginRate += 1;
  if (facts.match) {
    facts.match.count += 1;
    facts.match.last = Math.max(facts.match.last, ctx.t);
    facts.match.first = Math.min(facts.match.first, ctx.t);
    return;
  }
  if (state.origins.length >= ctx.params.originSlots) {
    let oldest = 0;
    for (let i = 1; i < state.origins.length; i += 1) {
      if (state.origins[i]!.last < state.origins[oldest]!.last) oldest = i;
    }
    state.origins.splice(oldest, 1);
  }
  state.origins.push({
    cert: facts.cert,
    prefix: facts.prefix,
    ua: facts.ua,
    region: facts.region,
    count: 1,
    first: ctx.t,
    last: ctx.t,
  });
}
