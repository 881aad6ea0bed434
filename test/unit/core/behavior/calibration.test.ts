/**
 * The calibration fixes found with the attack simulator (docs/behavior.md, "What the simulator taught"), each with an
 * injected clock: what an attack must not teach the baseline, and what clean traffic must not look like.
 */
import { describe, expect, it } from 'vitest';
import { type BehaviorAction, createBehaviorEngine } from '../../../../src/core/behavior/index.js';
import type { AgentState } from '../../../../src/core/behavior/state.js';
import { poissonTail } from '../../../../src/core/behavior/tail.js';
import { action, calmTraffic, DAY, ENFORCE, HOME_ORIGIN, HOUR, MINUTE, random, T0 } from './traffic.js';

const engine = createBehaviorEngine();
/** Scores without ever freezing the baseline, so what the engine *learns* from an action is visible. */
const NEVER_FROZEN = { mode: 'observe' as const, warningThreshold: 0.999, anomalyThreshold: 0.9999 };

function trained(days: number, traffic = calmTraffic(days)): { state: AgentState; at: number } {
  const state = engine.create('a_0123456789abcdef', T0) as AgentState;
  for (const a of traffic) engine.apply(state, a, ENFORCE);
  const last = traffic[traffic.length - 1]!.at;
  // The next weekday at 10:00 UTC.
  let at = T0 + Math.ceil((last - T0) / DAY) * DAY + 10 * HOUR;
  while (new Date(at).getUTCDay() % 6 === 0) at += DAY;
  return { state, at };
}

const evidence = (r: ReturnType<typeof engine.apply>, signal: string) =>
  r.assessment.contributions.find((c) => c.signal === signal);

describe('scan statistic', () => {
  it('uses the Poisson tail (a negative binomial with a tiny mean has a far heavier one)', () => {
    const mean = 0.02;
    expect(poissonTail(2, mean)).toBeCloseTo(1 - Math.exp(-mean) * (1 + mean), 12);
    expect(poissonTail(3, 5)).toBeCloseTo(1 - Math.exp(-5) * (1 + 5 + 12.5), 12);
    expect(poissonTail(4, 3e-5)).toBeLessThan(1e-18);
    expect(poissonTail(0, 1)).toBe(1);
  });
});

describe('what an attack does not teach', () => {
  it('amount: a run of the same large amount is not learnt by the sketch, so it keeps scoring', () => {
    const { state, at } = trained(10);
    const before = engine.stats(state, '30d', at);
    const results = Array.from({ length: 10 }, (_, k) =>
      engine.apply(state, action(`big${k}`, at + k * 6_000, { amount: 9_900 }), NEVER_FROZEN),
    );
    const surprise = results.map((r) => evidence(r, 'amount')?.value ?? 0);
    expect(surprise.every((v) => v > 0)).toBe(true);
    // Each charge of the run adds to the scan statistic (a learnt amount would stop counting as a hit).
    expect(results[9]!.assessment.score).toBeGreaterThan(results[1]!.assessment.score);
    // Only the first (isolated) tail amount may enter the sketch: the p99 does not move to 9,900.
    expect(engine.stats(state, '30d', at + MINUTE).transaction_size.p99).toBe(before.transaction_size.p99);
  });

  it('origin: what a certificate does from an origin it has not established teaches nothing (a mule stays new)', () => {
    const { state, at } = trained(10);
    const copy = { ...HOME_ORIGIN, ip: '198.51.100.20' }; // same region and client: only the network differs
    const results = Array.from({ length: 5 }, (_, k) =>
      engine.apply(state, action(`m${k}`, at + k * MINUTE, { counterparty: 'mule-1' }, { origin: copy }), NEVER_FROZEN),
    );
    // The first payment to a new counterparty is ordinary for one action; the repeats are a run of new ones.
    for (const r of results.slice(1)) expect(evidence(r, 'counterparty_novelty')).toBeDefined();
    const cps = engine.stats(state, '30d', at + HOUR).counterparty_distribution.map((c) => c.counterparty);
    expect(cps).not.toContain('mule-1');
  });

  it('origin: once a redeploy is established (5 uses over an hour) its actions train again', () => {
    const { state, at } = trained(10);
    const moved = { ...HOME_ORIGIN, ip: '203.0.114.9' };
    for (let k = 0; k < 8; k += 1)
      engine.apply(state, action(`d${k}`, at + k * 10 * MINUTE, {}, { origin: moved }), ENFORCE);
    engine.apply(state, action('d-new', at + 2 * HOUR, { counterparty: 'new-supplier' }, { origin: moved }), ENFORCE);
    const cps = engine.stats(state, '30d', at + 3 * HOUR).counterparty_distribution.map((c) => c.counterparty);
    expect(cps).toContain('new-supplier');
  });

  it('origin: novelty is per day, so a busy agent that kept one origin for weeks notices a new network', () => {
    const { state, at } = trained(21);
    const r = engine.apply(state, action('n1', at, {}, { origin: { ...HOME_ORIGIN, ip: '198.51.100.20' } }), ENFORCE);
    const c = evidence(r, 'origin_new');
    expect(c).toBeDefined();
    expect(r.assessment.score).toBeGreaterThan(0.3);
    expect(r.assessment.score).toBeLessThan(0.75); // alone, a redeploy's first use: evidence, not a warning
  });
});

describe('what clean traffic must not look like', () => {
  it('drift: a stationary agent’s reference stays at its true mean (no one-sided censoring)', () => {
    // 30 amounts a day, log-normal with mean log 5 and σ 1: a day's mean log amount varies by ±0.18.
    const rnd = random(42);
    const normal = () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
    const state = engine.create('a_0123456789abcdef', T0) as AgentState;
    let warnedDays = 0;
    for (let d = 0; d < 70; d += 1) {
      let warned = false;
      for (let k = 0; k < 30; k += 1) {
        const a = action(`d${d}-${k}`, T0 + d * DAY + 8 * HOUR + k * 20 * MINUTE, { amount: Math.exp(5 + normal()) });
        warned ||= engine.apply(state, a, ENFORCE).assessment.score >= 0.75;
      }
      if (d >= 14) warnedDays += Number(warned);
    }
    expect(Math.abs(state.driftTracks[1].mean - 5)).toBeLessThan(0.1);
    expect(warnedDays).toBe(0);
  });

  it('sequence: a rarely visited step that repeats itself (refund after refund) is the workflow, not an attack', () => {
    const rnd = random(123_457); // (a seed whose first draws are not tiny: the first action is a charge)
    // charge → refund one time in 1,000; a refund is followed by another refund 84 % of the time.
    let prev = 'charge';
    const next = () => {
      prev = prev === 'charge' ? (rnd() < 0.001 ? 'refund' : 'charge') : rnd() < 0.84 ? 'refund' : 'charge';
      return prev;
    };
    const state = engine.create('a_0123456789abcdef', T0) as AgentState;
    let worst = 0;
    let refunds = 0;
    for (let d = 0; d < 28; d += 1) {
      for (let k = 0; k < 800; k += 1) {
        const a = action(`s${d}-${k}`, T0 + d * DAY + k * 108_000, { action: next() });
        engine.apply(state, a, ENFORCE);
        if (d < 7) continue;
        refunds += Number(prev === 'refund');
        worst = Math.max(worst, state.evidence.get('sequence')?.s ?? 0);
      }
    }
    expect(refunds).toBeGreaterThan(20); // the rare step did occur, in runs
    expect(worst).toBeLessThan(1);
  });

  it('spread: a batch to the agent’s usual counterparties is explained by its pace; new recipients are not', () => {
    const rnd = random(9);
    const usual = Array.from({ length: 20 }, (_, k) => `cp-${k}`);
    const traffic: BehaviorAction[] = [];
    for (let k = 0; k < 14 * 24 * 4; k += 1) {
      traffic.push(action(`u${k}`, T0 + k * 15 * MINUTE, { counterparty: usual[Math.floor(rnd() * 20)] }));
    }
    const { state, at } = trained(14, traffic);
    const batch = Array.from({ length: 30 }, (_, k) =>
      engine.apply(state, action(`b${k}`, at + k * 6_000, { counterparty: usual[Math.floor(rnd() * 20)] }), ENFORCE),
    );
    expect(batch.some((r) => evidence(r, 'counterparty_spread'))).toBe(false);
    const later = at + 2 * HOUR;
    const fresh = Array.from({ length: 30 }, (_, k) =>
      engine.apply(state, action(`f${k}`, later + k * 6_000, { counterparty: `new-${k}` }), ENFORCE),
    );
    expect(fresh.some((r) => evidence(r, 'counterparty_spread'))).toBe(true);
  });
});

describe('rate histograms: a burst cannot stretch the range it is compared with', () => {
  it('the range grows by at most one bin a day, so a burst’s later actions stay surprising', () => {
    const { state, at } = trained(10);
    const ceilingBefore = Array.from(state.rateCeiling);
    const burst = Array.from({ length: 100 }, (_, k) =>
      engine.apply(state, action(`o${k}`, at + k * 6_000, { amount: 100 }), NEVER_FROZEN),
    );
    for (let h = 0; h < 3; h += 1) expect(state.rateCeiling[h]!).toBeLessThanOrEqual(ceilingBefore[h]! + 1);
    // The ten-minute horizon's evidence at the end is at least as strong as halfway.
    const tenMinute = (r: ReturnType<typeof engine.apply>) => evidence(r, 'rate_10m')?.value ?? 0;
    expect(burst[99]!.assessment.score).toBeGreaterThanOrEqual(burst[49]!.assessment.score - 0.02);
    expect(tenMinute(burst[99]!)).toBeGreaterThan(0);
  });

  it('a new nightly batch is learnt within days: the range follows a recurring pattern', () => {
    const { state, at } = trained(10);
    const batchNight = (d: number) =>
      Array.from({ length: 40 }, (_, k) => action(`n${d}-${k}`, at + d * DAY + 10 * HOUR + k * 5_000, { amount: 100 }));
    const firstNight = batchNight(0).map((a) => engine.apply(state, a, ENFORCE));
    let lastNight = firstNight;
    for (let d = 1; d < 8; d += 1) {
      for (const a of calmTraffic(1, 100 + d, T0 + Math.round((at + d * DAY - 10 * HOUR - T0) / DAY) * DAY)) {
        engine.apply(state, a, ENFORCE);
      }
      lastNight = batchNight(d).map((a) => engine.apply(state, a, ENFORCE));
    }
    const peak = (rs: ReturnType<typeof engine.apply>[]) => Math.max(...rs.map((r) => r.assessment.score));
    expect(peak(lastNight)).toBeLessThan(peak(firstNight));
  });
});

describe('state encoding v2', () => {
  it('keeps the ceilings and a pending tail amount, and still reads a v1 item', async () => {
    const { checksum } = await import('../../../../src/core/behavior/state-codec.js');
    const { state, at } = trained(5);
    engine.apply(state, action('tail', at, { amount: 50_000 }), NEVER_FROZEN);
    expect(state.pendingAmount).toBe(50_000);
    const copy = engine.decode(engine.encode(state)) as AgentState;
    expect(copy.pendingAmount).toBe(50_000);
    expect(Array.from(copy.rateCeiling)).toEqual(Array.from(state.rateCeiling));
    expect(Array.from(copy.rateCeilingDay)).toEqual(Array.from(state.rateCeilingDay));
    // A v1 item: the same body without the appended fields (3 ceilings and days, one byte each here, and an f64).
    state.rateCeilingDay.fill(0);
    const v2 = engine.encode(state);
    const body = v2.slice(0, v2.length - 4 - 14);
    body[3] = 1;
    const v1 = new Uint8Array(body.length + 4);
    v1.set(body);
    new DataView(v1.buffer).setUint32(body.length, checksum(body), true);
    const old = engine.decode(v1) as AgentState;
    expect(old.pendingAmount).toBe(0);
    expect(Math.max(...old.rateCeiling)).toBeGreaterThan(0);
    expect(old.events).toBe(state.events);
  });
});
