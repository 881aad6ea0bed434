/**
 * signedBytes writes the object around the payload directly (the verifier's hot path): it must equal the general
 * RFC 8785 form of the whole envelope for every payload, and fall back to it for unusual top-level values.
 */
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signedBytes } from '../../packages/sdk/src/index.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const json = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<unknown>;

describe('signedBytes', () => {
  it('equals canonicalize(envelope without signature) for arbitrary payloads', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), json),
        fc.string({ minLength: 1 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/),
        fc.nat(),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        (extra, action, nonce, timestamp, hex) => {
          const payload = { ...extra, action };
          const envelope = { payload, certificateFingerprint: `sha256:${hex}`, timestamp, nonce };
          return text(signedBytes(envelope)) === canonicalize(envelope);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('takes the general path for off-contract top-level values, and refuses what JCS cannot write', () => {
    const odd = { payload: { action: 'x' }, certificateFingerprint: 'not-a-fingerprint', timestamp: 1.5, nonce: 'é' };
    expect(text(signedBytes(odd))).toBe(canonicalize(odd));
    expect(() =>
      signedBytes({ payload: { action: 'x', n: Number.NaN }, certificateFingerprint: 'x', timestamp: 1, nonce: 'n' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });
});
