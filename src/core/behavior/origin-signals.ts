/**
 * Origin change, modelled on GuardDuty's credential-exfiltration finding: a certificate used from an origin (network
 * /24 or /48, user agent, region) it has not established, and the same certificate seen from two regions within
 * minutes. Origins are tracked per certificate in a few slots, least recently seen evicted.
 */
import type { ActionContext } from './context.js';
import { recordEvidence, surprise } from './evidence.js';
import { hash32, networkPrefix } from './hash.js';
import { type AgentState, type OriginEntry, truncate } from './state.js';

const PRIOR_NOVELTY = 0.05;
const MIN_NOVELTY = 0.001;
/** An origin stays "unconfirmed" (still scored as new) until seen this many times over at least this long. */
const CONFIRM_COUNT = 5;
const CONFIRM_MS = 3_600_000;
/** Extra likelihood factor when the user agent, or the region, is also new for the certificate. */
const ALSO_NEW_FACTOR = 0.3;

export interface OriginFacts {
  cert: number;
  prefix: string;
  ua: number;
  region: string;
  match: OriginEntry | undefined;
  novel: boolean;
}

export function originFacts(state: AgentState, ctx: ActionContext): OriginFacts | undefined {
  const origin = ctx.action.origin;
  if (!origin || (origin.ip === undefined && origin.userAgent === undefined && origin.region === undefined)) {
    return undefined;
  }
  const cert = hash32(ctx.action.certificateFingerprint ?? '');
  const prefix = origin.ip ? truncate(networkPrefix(origin.ip)) : '';
  const ua = origin.userAgent ? hash32(origin.userAgent) : 0;
  const region = truncate(origin.region ?? '');
  const mine = state.origins.filter((o) => o.cert === cert);
  const match = mine.find((o) => (prefix !== '' ? o.prefix === prefix : o.ua === ua && o.region === region));
  // A certificate's first origin is its baseline: nothing to compare with yet.
  return { cert, prefix, ua, region, match, novel: mine.length > 0 && match === undefined };
}

export function scoreOrigin(state: AgentState, ctx: ActionContext, facts: OriginFacts): void {
  const { params } = ctx;
  const mine = state.origins.filter((o) => o.cert === facts.cert);
  const unconfirmed =
    facts.match !== undefined &&
    (facts.match.count < CONFIRM_COUNT || ctx.t - facts.match.first < CONFIRM_MS) &&
    mine.length > 1;
  const label = facts.prefix || facts.region || 'an unknown origin';
  if (facts.novel || unconfirmed) {
    const w = state.trained / (state.trained + params.priorEvents);
    let p = Math.max(w * state.novelOriginRate + (1 - w) * PRIOR_NOVELTY, MIN_NOVELTY);
    const others = facts.match ? mine.filter((o) => o !== facts.match) : mine;
    if (facts.ua !== 0 && !others.some((o) => o.ua === facts.ua)) p *= ALSO_NEW_FACTOR;
    if (facts.region !== '' && !others.some((o) => o.region === facts.region)) p *= ALSO_NEW_FACTOR;
    const known = others.map((o) => o.prefix || o.region).join(', ');
    recordEvidence(state, 'origin_new', surprise(p, params), ctx.t, label, known, true, params);
  }
  if (facts.region === '') return;
  const far = mine.find(
    (o) => o.region !== '' && o.region !== facts.region && Math.abs(ctx.t - o.last) <= params.travelWindowMs,
  );
  if (far) {
    // Two regions within minutes for one certificate: either a copied credential or a deployment spanning regions,
    // which an established origin pair (both confirmed) shows; only the former is scored.
    const bothEstablished =
      facts.match !== undefined && !unconfirmed && far.count >= CONFIRM_COUNT && far.last - far.first >= CONFIRM_MS;
    if (!bothEstablished) {
      recordEvidence(
        state,
        'origin_travel',
        surprise(1e-5, params),
        ctx.t,
        label,
        far.prefix || far.region,
        false,
        params,
      );
    }
  }
}

/** Seen-counts of known origins always advance; a new origin is only added while the baseline is trainable. */
export function updateOrigins(state: AgentState, ctx: ActionContext, facts: OriginFacts, train: boolean): void {
  if (train) {
    const alpha = Math.max(ctx.params.momentAlpha, 1 / (state.trained + 1));
    state.novelOriginRate += alpha * ((facts.novel ? 1 : 0) - state.novelOriginRate);
  }
  if (facts.match) {
    facts.match.count += 1;
    facts.match.last = Math.max(facts.match.last, ctx.t);
    facts.match.first = Math.min(facts.match.first, ctx.t);
    return;
  }
  if (!train && facts.novel) return;
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
