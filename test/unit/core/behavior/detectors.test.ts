/** One test per detector, each with an injected clock (every action carries its own `at`). */
import { describe, expect, it } from 'vitest';
import {
  type BehaviorAction,
  type BehaviorSettings,
  createBehaviorEngine,
} from '../../../../src/core/behavior/index.js';
import { action, calmTraffic, DAY, ENFORCE, HOME_ORIGIN, HOUR, MINUTE, OBSERVE, T0 } from './traffic.js';

const engine = createBehaviorEngine();

function trainedAgent(days = 10) {
  const state = engine.create('a_0123456789abcdef', T0);
  const calm = calmTraffic(days);
  for (const a of calm) engine.apply(state, a, ENFORCE);
  // Start the scenarios on a weekday at 10:00 UTC, an hour after the calm traffic's last action at most.
  const next = T0 + Math.ceil((calm[calm.length - 1]!.at - T0) / DAY) * DAY + 10 * HOUR;
  const day = new Date(next).getUTCDay();
  return { state, at: next + (day === 6 ? 2 * DAY : day === 0 ? DAY : 0) };
}

function run(state: unknown, actions: BehaviorAction[], settings: BehaviorSettings = ENFORCE) {
  return actions.map((a) => engine.apply(state, a, settings));
}

const signals = (r: { assessment: { contributions: { signal: string }[] } }) =>
  r.assessment.contributions.map((c) => c.signal);

describe('detectors', () => {
  it('rate: a burst at ordinary amounts raises the short-horizon rate signals', () => {
    const { state, at } = trainedAgent();
    const results = run(
      state,
      Array.from({ length: 60 }, (_, k) => action(`r${k}`, at + k * 3_000)),
    );
    const last = results[results.length - 1]!;
    expect(signals(last)).toEqual(expect.arrayContaining(['rate_1m', 'rate_10m']));
    expect(last.assessment.score).toBeGreaterThan(0.5);
  });

  it('rate vs the locked p95: N× the locked hourly p95 is named in the detail', () => {
    const { state, at } = trainedAgent();
    const baseline = { transactions_per_hour: { p95: 8 } };
    let last: ReturnType<typeof engine.apply> | undefined;
    for (let k = 0; k < 100; k += 1) last = engine.apply(state, action(`l${k}`, at + k * 6_000), ENFORCE, baseline);
    const c = last!.assessment.contributions.find((x) => x.signal === 'rate_locked_p95')!;
    expect(c.baseline).toBe(8);
    expect(c.observed).toBeGreaterThanOrEqual(96);
    expect(c.detail).toMatch(/1[12](\.\d+)?× the locked p95/);
    expect(last!.revoke).toBe(true);
  });

  it('amount: a run of amounts far above the sketch p99 warns within a few actions', () => {
    const { state, at } = trainedAgent();
    const results = run(
      state,
      Array.from({ length: 5 }, (_, k) => action(`a${k}`, at + k * 60_000, { amount: 9_900 })),
    );
    const firstWarn = results.findIndex((r) => r.warn);
    expect(firstWarn).toBeGreaterThanOrEqual(0);
    expect(firstWarn).toBeLessThan(4);
    const amount = results[firstWarn]!.assessment.contributions.find((c) => c.signal === 'amount')!;
    expect(amount.observed).toBe(9_900);
    expect(amount.baseline).toBeLessThan(1_000);
  });

  it('amount vs the locked baseline: the locked p99 is the reference', () => {
    const { state, at } = trainedAgent();
    const r = engine.apply(state, action('lock-a', at, { amount: 5_000 }), ENFORCE, {
      transaction_size: { p50: 100, p99: 200 },
    });
    const amount = r.assessment.contributions.find((c) => c.signal === 'amount')!;
    expect(amount.baseline).toBe(200);
  });

  it('amount vs a fixed-price lock (p50 = p99): twice the price is off the scale, the price itself is not', () => {
    const fixed = { transaction_size: { p50: 9.99, p99: 9.99 } };
    const { state, at } = trainedAgent();
    const atPrice = engine.apply(state, action('fix-0', at, { amount: 9.99 }), ENFORCE, fixed);
    expect(signals(atPrice)).not.toContain('amount');
    const doubled = engine.apply(state, action('fix-1', at + MINUTE, { amount: 19.98 }), ENFORCE, fixed);
    const amount = doubled.assessment.contributions.find((c) => c.signal === 'amount')!;
    expect(amount.observed).toBe(19.98);
    expect(amount.baseline).toBe(9.99);
    // Before the floor on the locked spread, p50 = p99 locked nothing: the amount was scored against the agent's own
    // sketch (baseline = its p99 there), never against the lock.
  });

  it('counterparty novelty and spread: many new recipients in minutes (exfiltration-like)', () => {
    const { state, at } = trainedAgent();
    const results = run(
      state,
      Array.from({ length: 30 }, (_, k) =>
        action(`x${k}`, at + k * 15_000, {
          action: k % 2 ? 'send_email' : 'export_records',
          counterparty: `r-${k}`,
          amount: undefined,
        }),
      ),
    );
    const seen = new Set(results.flatMap(signals));
    expect([...seen]).toEqual(expect.arrayContaining(['counterparty_novelty', 'counterparty_spread', 'sequence']));
    expect(results.some((r) => r.warn)).toBe(true);
  });

  it('off-hours: outside the locked active hours', () => {
    const { state, at } = trainedAgent();
    const night = at - 10 * HOUR + 3 * HOUR; // 03:00 UTC
    const r = engine.apply(state, action('n1', night), ENFORCE, { active_hours: [[8, 18]] });
    const c = r.assessment.contributions.find((x) => x.signal === 'off_hours')!;
    expect(c.observed).toBe(3);
    expect(c.baseline).toBe('8-18');
  });

  it('origin: a stolen certificate used from another region while the agent works', () => {
    const { state, at } = trainedAgent();
    const thief = { ip: '198.51.100.20', region: 'sa-east-1', userAgent: 'python-requests/2.31' };
    const results: ReturnType<typeof engine.apply>[] = [];
    for (let k = 0; k < 5; k += 1) {
      engine.apply(state, action(`own${k}`, at + k * 60_000), ENFORCE);
      results.push(engine.apply(state, action(`thief${k}`, at + k * 60_000 + 30_000, {}, { origin: thief }), ENFORCE));
    }
    expect(results.findIndex((r) => r.assessment.score >= 0.75)).toBeLessThan(3);
    expect([...new Set(results.flatMap(signals))]).toEqual(expect.arrayContaining(['origin_new', 'origin_travel']));
    expect(results.some((r) => r.revoke)).toBe(true);
  });

  it('origin: a redeploy to a new address in the same region does not warn', () => {
    const { state, at } = trainedAgent();
    const moved = { ...HOME_ORIGIN, ip: '203.0.114.9' };
    const results = Array.from({ length: 40 }, (_, k) =>
      engine.apply(state, action(`m${k}`, at + k * 6 * MINUTE, {}, { origin: moved }), ENFORCE),
    );
    expect(results.some((r) => r.assessment.score >= 0.75)).toBe(false);
  });

  it('drift: amounts creeping up by half a day over days warn, and drift alone never revokes', () => {
    const state = engine.create('a_0123456789abcdef', T0);
    for (const a of calmTraffic(14)) engine.apply(state, a, ENFORCE);
    const creeping = calmTraffic(4, 11, T0 + 14 * DAY).map((a) => ({
      ...a,
      payload: { ...a.payload, amount: (a.payload.amount as number) * 1.5 ** ((a.at - T0 - 14 * DAY) / DAY) },
    }));
    const results = creeping.map((a) => engine.apply(state, a, ENFORCE));
    const flagged = results.find((r) => r.assessment.contributions[0]?.signal === 'drift');
    expect(flagged).toBeDefined();
    expect(flagged!.assessment.contributions[0]!.detail).toMatch(/never revokes alone/);
    for (const r of results) {
      if (r.assessment.contributions.every((c) => c.signal === 'drift')) expect(r.revoke).toBe(false);
    }
  });
});

describe('safety rules', () => {
  it('cold start: during warm-up rate signals alone never auto-revoke; after it they may', () => {
    const baseline = { transactions_per_hour: { p95: 8 } };
    const burst = (prefix: string, from: number) =>
      Array.from({ length: 100 }, (_, k) =>
        action(`${prefix}${k}`, from + k * 6_000, { amount: 100, counterparty: 'stripe' }),
      );
    const fresh = engine.create('a_0123456789abcdef', T0);
    const cold = burst('c', T0).map((a) => engine.apply(fresh, a, ENFORCE, baseline));
    expect(Math.max(...cold.map((r) => r.assessment.score))).toBeGreaterThanOrEqual(0.85);
    expect(cold.some((r) => r.warn)).toBe(true);
    expect(cold.some((r) => r.revoke)).toBe(false);
    const { state, at } = trainedAgent();
    const warm = burst('w', at).map((a) => engine.apply(state, a, ENFORCE, baseline));
    expect(warm.some((r) => r.revoke)).toBe(true);
  });

  it('freezes the baseline while at or above the warning threshold (no training by creeping up)', () => {
    const { state, at } = trainedAgent();
    const before = engine.stats(state, '30d', at);
    run(
      state,
      Array.from({ length: 20 }, (_, k) => action(`f${k}`, at + k * 20_000, { amount: 9_900 })),
      OBSERVE,
    );
    const after = engine.stats(state, '30d', at + HOUR);
    expect(after.count).toBe(before.count + 20); // exact counters still count
    expect(after.transaction_size.max).toBe(9_900);
    expect(after.transaction_size.p99).toBe(before.transaction_size.p99); // the sketch did not learn the attack
  });

  it('out-of-order actions within a batch give the same final score as in-order ones', () => {
    const base = trainedAgent();
    const batch = Array.from({ length: 20 }, (_, k) => action(`o${k}`, base.at + k * 10_000, { amount: 400 }));
    const inOrder = engine.decode(engine.encode(base.state));
    const shuffled = engine.decode(engine.encode(base.state));
    run(inOrder, batch);
    run(shuffled, [...batch].reverse());
    const end = base.at + 20 * 10_000;
    expect(engine.assess(shuffled, end, ENFORCE).score).toBeCloseTo(engine.assess(inOrder, end, ENFORCE).score, 1);
    expect(engine.stats(shuffled, '1h', end)).toEqual(engine.stats(inOrder, '1h', end));
  });
});
