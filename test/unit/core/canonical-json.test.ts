/**
 * The project's JCS entry points against the `canonicalize` library they build on: the scalar fast path, the
 * member-by-member object form and the remembered text of frozen values must give exactly the library's bytes (the
 * RFC 8785 vectors themselves are in envelope/jcs-vectors.test.ts), refuse what it refuses, and never serve a stale
 * text for a value that can still change.
 */
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalObjectString, canonicalString, freezeJson } from '../../../src/core/canonical-json.js';

const outcome = (f: () => string | undefined) => {
  try {
    return f();
  } catch {
    return 'THROWS';
  }
};

/** Strings with lone surrogates, pairs, controls and line separators; numbers of every magnitude, NaN and ±∞. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\ud83d', '\ude00x', 'x\ud83d\ude00\ud83d', '\u2028\u2029\u0000"\\', '😀', 'é'),
);
const awkwardNumber = fc.oneof(fc.double(), fc.constantFrom(-0, 5e-324, 1e21, 1e-7, Number.MAX_VALUE));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    awkwardString,
    awkwardNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(awkwardString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('canonical JSON', () => {
  it('gives the library’s text, or refuses as it does, for any JSON-like value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(outcome(() => canonicalString(value))).toEqual(outcome(() => canonicalize(value)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('builds an object member by member exactly as the library does, undefined members left out', () => {
    fc.assert(
      fc.property(fc.dictionary(awkwardString, fc.option(json, { nil: undefined }), { maxKeys: 8 }), (fields) => {
        expect(outcome(() => canonicalObjectString(fields))).toEqual(outcome(() => canonicalize(fields)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('reuses the text of a value frozen by freezeJson, which can no longer change', () => {
    const payload = freezeJson({ action: 'charge', nested: { amount: 1 } });
    const first = canonicalString(payload);
    expect(canonicalString(payload)).toBe(first);
    expect(Object.isFrozen(payload.nested)).toBe(true);
    expect(() => {
      (payload.nested as { amount: number }).amount = 2;
    }).toThrow(TypeError);
    expect(canonicalObjectString({ payload, id: 'x' })).toBe(canonicalize({ payload, id: 'x' }));
  });

  it('freezes a cyclic value without recursing for ever; its canonical form is refused, as the library refuses it', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(freezeJson(cyclic)).toBe(cyclic);
    expect(Object.isFrozen(cyclic.self)).toBe(true);
    expect(() => canonicalString(cyclic)).toThrow(/Circular/);
  });

  it('never remembers a value it did not freeze: a mutated object is canonicalised afresh', () => {
    const payload: Record<string, unknown> = { action: 'charge' };
    expect(canonicalString(payload)).toBe('{"action":"charge"}');
    payload.amount = 5;
    expect(canonicalString(payload)).toBe('{"action":"charge","amount":5}');
    const shallow = Object.freeze({ inner: { n: 1 } });
    expect(canonicalString(shallow)).toBe('{"inner":{"n":1}}');
    shallow.inner.n = 2;
    expect(canonicalString(shallow)).toBe('{"inner":{"n":2}}');
  });
});
