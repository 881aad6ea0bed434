import { describe, expect, it } from 'vitest';
import { createBehaviorEngine } from '../../../../src/core/behavior/index.js';
import { action, calmTraffic, ENFORCE, OBSERVE, T0 } from './traffic.js';

const engine = createBehaviorEngine();

function trained(days = 7) {
  const state = engine.create('a_0123456789abcdef', T0);
  const calm = calmTraffic(days);
  for (const a of calm) engine.apply(state, a, ENFORCE);
  return { state, last: calm[calm.length - 1]!.at };
}

/** The product guide's burst: 100 charges of €9,900 in 10 minutes. */
function burst(from: number, n = 100) {
  return Array.from({ length: n }, (_, k) => action(`burst-${k}`, from + k * 6_000, { amount: 9_900 }));
}

describe('behaviour engine', () => {
  it('keeps a calm agent low and never warns it', () => {
    const state = engine.create('a_0123456789abcdef', T0);
    let max = 0;
    for (const a of calmTraffic(14, 3)) {
      const r = engine.apply(state, a, ENFORCE);
      expect(r.warn).toBe(false);
      expect(r.revoke).toBe(false);
      max = Math.max(max, r.assessment.score);
    }
    expect(max).toBeLessThan(0.75);
  });

  it('warns once per episode and revokes in enforce mode on the guide burst', () => {
    const { state, last } = trained();
    const results = burst(last + 3_600_000).map((a) => engine.apply(state, a, ENFORCE));
    expect(results.filter((r) => r.warn)).toHaveLength(1);
    const firstRevoke = results.findIndex((r) => r.revoke);
    expect(firstRevoke).toBeGreaterThanOrEqual(0);
    expect(firstRevoke).toBeLessThan(5);
    expect(results[firstRevoke]!.episodeStart).toBe(results.find((r) => r.warn)!.assessment.at);
    const top = results[results.length - 1]!.assessment;
    expect(top.band).toBe('critical');
    const sum = top.contributions.reduce((a, c) => a + c.value, 0);
    expect(sum).toBeCloseTo(1, 9);
    for (const c of top.contributions) {
      expect(Object.keys(c).sort()).toEqual(['baseline', 'detail', 'observed', 'signal', 'value', 'weight']);
    }
  });

  it('never revokes in observe mode', () => {
    const { state, last } = trained();
    const results = burst(last + 3_600_000).map((a) => engine.apply(state, a, OBSERVE));
    expect(results.some((r) => r.warn)).toBe(true);
    expect(results.some((r) => r.revoke)).toBe(false);
  });

  it('treats a redelivered action as a duplicate: state unchanged, no warn or revoke', () => {
    const { state, last } = trained(3);
    const a = action('dup-1', last + 1_000, { amount: 9_900 });
    const first = engine.apply(state, a, ENFORCE);
    expect(first.duplicate).toBe(false);
    const before = engine.encode(state);
    const again = engine.apply(state, a, ENFORCE);
    expect(again.duplicate).toBe(true);
    expect(again.warn).toBe(false);
    expect(again.revoke).toBe(false);
    expect(engine.encode(state)).toEqual(before);
  });

  it('decays the score when the agent goes quiet', () => {
    const { state, last } = trained();
    const results = burst(last + 3_600_000, 20).map((a) => engine.apply(state, a, ENFORCE));
    const end = results[results.length - 1]!.assessment;
    expect(end.score).toBeGreaterThan(0.85);
    expect(engine.assess(state, end.at + 6 * 3_600_000, ENFORCE).score).toBeLessThan(0.3);
  });

  it('round-trips through encode/decode and refuses foreign bytes', () => {
    const { state } = trained(3);
    const bytes = engine.encode(state);
    expect(engine.encode(engine.decode(bytes))).toEqual(bytes);
    expect(() => engine.decode(new TextEncoder().encode('{"agentId":"x"}'))).toThrow(RangeError);
    const flipped = bytes.slice();
    flipped[20] = flipped[20]! ^ 0xff;
    expect(() => engine.decode(flipped)).toThrow(RangeError);
    expect(() => engine.decode(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
  });
});
