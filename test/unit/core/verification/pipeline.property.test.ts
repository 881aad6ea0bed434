/**
 * Properties of the whole pipeline: an honest envelope always verifies (both key types), and no single-byte change
 * to the signed part of an envelope on the wire ever verifies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalString } from '../../../../src/core/canonical-json.js';
import { parseEnvelope } from '../../../../src/core/envelope/schema.js';
import { privateKeySigner, signEnvelope } from '../../../../src/core/envelope/signer.js';
import { KakuninError } from '../../../../src/core/errors.js';
import type { ActionPayload, SignedEnvelope } from '../../../../src/core/model.js';
import { KEYS, TENANT, type TestKey, World } from './world.js';

const RESERVED = new Set(['action', 'amount', 'currency', 'counterparty', 'region', '__proto__']);

/** Arbitrary payloads: a Unicode action, optional amount (with the scope's currency), free JSON fields. */
const payloadArb: fc.Arbitrary<ActionPayload> = fc
  .record({
    action: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    // Amounts on the grid the velocity counters hold exactly (below 1e20, at most 18 decimals): docs/api.md §4.
    money: fc.option(
      fc
        .tuple(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 18 }))
        .map(([units, decimals]) => units / 10 ** decimals),
      { nil: undefined },
    ),
    extra: fc.dictionary(
      fc.string({ unit: 'grapheme', maxLength: 8 }).filter((k) => !RESERVED.has(k)),
      // The envelope parser refuses `__proto__` keys at any depth (prototype pollution), so honest payloads avoid them.
      fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v).includes('"__proto__"')),
      { maxKeys: 4 },
    ),
  })
  .map(({ action, money, extra }) => ({
    ...(extra as Record<string, unknown>),
    action,
    ...(money === undefined ? {} : { amount: money, currency: 'EUR' }),
  }));

let nonceCounter = 0;
async function signed(world: World, key: TestKey, fingerprint: string, payload: ActionPayload) {
  nonceCounter += 1;
  const seed = nonceCounter;
  return signEnvelope({
    payload,
    certificateFingerprint: fingerprint,
    signer: privateKeySigner(key.privateKey),
    clock: world.clock,
    random: { bytes: (n) => new Uint8Array(n).map((_, i) => (seed >> (8 * (i % 4))) & 0xff) },
  });
}

/** The semantic content the signature covers, for recognising a mutation that changes nothing (e.g. 1e+21 → 1E+21). */
function signedContent(value: unknown): string | undefined {
  try {
    const { signature: _s, ...rest } = parseEnvelope(value);
    return canonicalString(rest);
  } catch {
    return undefined;
  }
}

describe.each([
  ['ECDSA P-256', KEYS.ec],
  ['RSA-2048', KEYS.rsa],
])('pipeline properties, %s', (_name, key) => {
  it('sign → verify round trip: every honest envelope verifies', async () => {
    const world = new World();
    const cert = await world.certificate({ key });
    await fc.assert(
      fc.asyncProperty(payloadArb, async (payload) => {
        const envelope = await signed(world, key, cert.fingerprint, payload);
        const wire = JSON.parse(JSON.stringify(envelope)) as unknown;
        const result = await world.verifier.verify(TENANT, wire);
        expect(result.verified, JSON.stringify(result)).toBe(true);
      }),
      { numRuns: key === KEYS.rsa ? 60 : 150 },
    );
  });

  it('any single-byte change to a signed field on the wire never verifies', async () => {
    const world = new World();
    const cert = await world.certificate({ key });
    await fc.assert(
      fc.asyncProperty(payloadArb, fc.nat(), fc.integer({ min: 1, max: 255 }), async (payload, at, delta) => {
        const envelope: SignedEnvelope = await signed(world, key, cert.fingerprint, payload);
        // Put the signature first so every byte after it belongs to a signed field.
        const { signature, ...rest } = envelope;
        const prefix = JSON.stringify({ signature }).slice(0, -1);
        const wire = Buffer.from(`${prefix},${JSON.stringify(rest).slice(1)}`, 'utf8');
        const position = prefix.length + 1 + (at % (wire.length - prefix.length - 1));
        const original = wire[position] ?? 0;
        const mutated = Buffer.from(wire);
        mutated[position] = (original + delta) % 256;

        let value: unknown;
        try {
          value = JSON.parse(new TextDecoder().decode(mutated));
        } catch {
          return; // Not JSON any more: the edge answers 400, nothing is verified.
        }
        fc.pre(signedContent(value) !== canonicalString(rest)); // same message spelled differently: not a change
        const outcome = await world.verifier.verify(TENANT, value).catch((error: unknown) => error);
        if (outcome instanceof KakuninError) {
          expect(outcome.code).toBe('INVALID_REQUEST');
          return;
        }
        expect(outcome).toMatchObject({ verified: false });
        const code = (outcome as { error: { code: string } }).error.code;
        expect(['SIGNATURE_INVALID', 'CERTIFICATE_UNKNOWN']).toContain(code);
        // The untouched envelope still verifies: the failure came from the one changed byte.
        expect((await world.verifier.verify(TENANT, envelope)).verified).toBe(true);
      }),
      { numRuns: key === KEYS.rsa ? 150 : 400 },
    );
  });
});
