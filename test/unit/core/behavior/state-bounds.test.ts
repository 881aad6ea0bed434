/** The stored state stays bounded whatever the input, and decoding fails closed on anything the engine did not write. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBehaviorEngine } from '../../../../src/core/behavior/index.js';
import { DAY, ENFORCE, T0 } from './traffic.js';

const engine = createBehaviorEngine();
const MAX_BYTES = 16 * 1024;

describe('behaviour state bounds', () => {
  it('stays under 16 KiB after 30 days of hostile input (long strings, endless new counterparties, origins, actions)', () => {
    const state = engine.create('a_0123456789abcdef', T0);
    const long = (k: number) => `${'x'.repeat(500)}-${k}`;
    for (let k = 0; k < 30 * 400; k += 1) {
      engine.apply(
        state,
        {
          id: `id-${k}-${'y'.repeat(200)}`,
          agentId: 'a_0123456789abcdef',
          certificateFingerprint: `sha256:${k % 50}`,
          at: T0 + Math.floor((k / 400) * DAY) + (k % 7) * 1_000,
          payload: { action: long(k % 40), amount: (k * 7919) % 1e9, counterparty: long(k), resource: long(k + 1) },
          origin: { ip: `10.${k % 256}.${(k >> 8) % 256}.1`, region: long(k % 30), userAgent: long(k % 20) },
        },
        ENFORCE,
      );
    }
    const bytes = engine.encode(state);
    expect(bytes.length).toBeLessThanOrEqual(MAX_BYTES);
    expect(engine.encode(engine.decode(bytes))).toEqual(bytes);
  });

  it('round-trips any sequence of ordinary actions, in any order, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: -3_600_000, max: 6 * 3_600_000 }),
            action: fc.constantFrom('charge', 'refund', 'export'),
            amount: fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: undefined }),
            counterparty: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
            ip: fc.option(fc.ipV4(), { nil: undefined }),
          }),
          { maxLength: 120 },
        ),
        (steps) => {
          const state = engine.create('a_0123456789abcdef', T0);
          let t = T0;
          steps.forEach((s, i) => {
            t = Math.max(T0, t + s.dt);
            engine.apply(
              state,
              {
                id: String(i),
                agentId: 'a_0123456789abcdef',
                at: t,
                payload: { action: s.action, amount: s.amount, counterparty: s.counterparty },
                ...(s.ip ? { origin: { ip: s.ip } } : {}),
              },
              ENFORCE,
            );
          });
          const bytes = engine.encode(state);
          expect(bytes.length).toBeLessThanOrEqual(MAX_BYTES);
          expect(engine.encode(engine.decode(bytes))).toEqual(bytes);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses foreign or altered bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expect(() => engine.decode(bytes)).toThrow(RangeError);
      }),
      { numRuns: 200 },
    );
    const state = engine.create('a_0123456789abcdef', T0);
    engine.apply(state, { id: '1', agentId: 'a', at: T0, payload: { action: 'charge', amount: 5 } }, ENFORCE);
    const good = engine.encode(state);
    for (let i = 0; i < good.length; i += 1) {
      const bad = good.slice();
      bad[i] = bad[i]! ^ 0x01;
      expect(() => engine.decode(bad)).toThrow(RangeError);
    }
  });

  it('rejects an action without a finite time or a string action', () => {
    const state = engine.create('a_0123456789abcdef', T0);
    expect(() =>
      engine.apply(state, { id: '1', agentId: 'a', at: Number.NaN, payload: { action: 'x' } }, ENFORCE),
    ).toThrow(RangeError);
    expect(() =>
      engine.apply(state, { id: '1', agentId: 'a', at: T0, payload: { action: 5 as unknown as string } }, ENFORCE),
    ).toThrow(RangeError);
  });
});
