/** Deterministic synthetic traffic for the behaviour tests (an injected clock: every action carries its own `at`). */
import type { BehaviorAction } from '../../../../src/core/behavior/index.js';

export const T0 = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const ENFORCE = { mode: 'enforce' as const, warningThreshold: 0.75, anomalyThreshold: 0.85 };
export const OBSERVE = { ...ENFORCE, mode: 'observe' as const };

/** Park–Miller generator: the tests' traffic is the same on every run. */
export function random(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

export const HOME_ORIGIN = { ip: '203.0.113.7', region: 'eu-west-1', userAgent: 'kakunin-sdk/1.0' };

export function action(
  id: string,
  at: number,
  overrides: Partial<BehaviorAction['payload']> = {},
  extra: Partial<BehaviorAction> = {},
): BehaviorAction {
  return {
    id,
    agentId: 'a_0123456789abcdef',
    certificateFingerprint: `sha256:${'ab'.repeat(32)}`,
    at,
    payload: { action: 'charge', amount: 120, currency: 'EUR', counterparty: 'stripe', ...overrides },
    origin: HOME_ORIGIN,
    ...extra,
  };
}

/**
 * A calm payment agent: ~10 actions an hour 08:00–18:00 UTC on weekdays, ~1 an hour otherwise, amounts log-normal
 * around 100, four counterparties, charge/refund.
 */
export function calmTraffic(days: number, seed = 7, start = T0): BehaviorAction[] {
  const rnd = random(seed);
  const out: BehaviorAction[] = [];
  const cps = ['stripe', 'adyen', 'paypal', 'wise'];
  let t = start;
  let i = 0;
  while (t < start + days * DAY) {
    const d = new Date(t);
    const busy = d.getUTCHours() >= 8 && d.getUTCHours() < 18 && d.getUTCDay() % 6 !== 0;
    t += (-Math.log(rnd()) / (busy ? 10 : 1)) * HOUR;
    out.push(
      action(`calm-${seed}-${i++}`, Math.round(t), {
        action: rnd() < 0.85 ? 'charge' : 'refund',
        amount: Math.round(Math.exp(4.6 + 0.4 * (rnd() + rnd() + rnd() - 1.5))),
        counterparty: cps[Math.floor(rnd() * cps.length)],
      }),
    );
  }
  return out;
}
