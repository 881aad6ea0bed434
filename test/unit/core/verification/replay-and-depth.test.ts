/**
 * Attacker-shaped edge cases across steps 1, 3 and 4: a nonce never becomes reusable while its timestamp is still
 * acceptable (both window edges, clock moving), and a revocation anywhere in a deep chain stops the leaf.
 */
import { describe, expect, it } from 'vitest';
import type { CertificateRecord } from '../../../../src/core/model.js';
import { NOW, TENANT, World } from './world.js';

const WINDOW = 300_000;

describe('replay across the whole window', () => {
  it.each([
    ['future-edge timestamp', NOW + WINDOW],
    ['past-edge timestamp', NOW - WINDOW],
    ['current timestamp', NOW],
  ])('%s: every replay inside the window is REPLAY_DETECTED, after it TIMESTAMP_OUT_OF_WINDOW', async (_n, ts) => {
    const world = new World();
    const cert = await world.certificate();
    const envelope = world.envelope(cert, { timestamp: ts });
    expect((await world.verifier.verify(TENANT, envelope)).verified).toBe(true);
    // Walk the clock through the last instants at which the timestamp is still acceptable.
    for (const now of [NOW, ts + WINDOW - 1, ts + WINDOW]) {
      if (Math.abs(now - ts) > WINDOW) continue;
      world.clock.time = now;
      const replay = await world.verifier.verify(TENANT, envelope);
      expect(replay.verified === false && replay.error.code).toBe('REPLAY_DETECTED');
    }
    world.clock.time = ts + WINDOW + 1;
    const late = await world.verifier.verify(TENANT, envelope);
    expect(late.verified === false && late.error.code).toBe('TIMESTAMP_OUT_OF_WINDOW');
  });
});

describe('deep chains', () => {
  it('revoking any one of 24 ancestors stops the leaf; a missing one fails closed', async () => {
    const world = new World();
    const chain: CertificateRecord[] = [await world.certificate()];
    for (let depth = 1; depth < 25; depth += 1) chain.push(await world.certificate({ parent: chain.at(-1) }));
    const leaf = chain.at(-1) as CertificateRecord;
    expect(leaf.ancestors).toHaveLength(24);
    expect((await world.verifier.verify(TENANT, world.envelope(leaf))).verified).toBe(true);
    await world.certificates.revoke(TENANT, (chain[12] as CertificateRecord).fingerprint, 'keyCompromise', NOW);
    const result = await world.verifier.verify(TENANT, world.envelope(leaf));
    expect(result.verified === false && result.error).toEqual({
      code: 'CERTIFICATE_REVOKED',
      message: 'an ancestor certificate is revoked',
      field: 'certificateFingerprint',
    });
    const audited = world.entries().at(-1);
    expect(audited).toMatchObject({ type: 'action.rejected', errorCode: 'CERTIFICATE_REVOKED' });

    // A leaf whose stored path names a certificate the store does not hold.
    const orphan = await world.certificate({
      parent: chain[3],
      ancestors: [
        ...(chain[3] as CertificateRecord).ancestors,
        `sha256:${'e'.repeat(64)}`,
        (chain[3] as CertificateRecord).fingerprint,
      ],
    });
    const missing = await world.verifier.verify(TENANT, world.envelope(orphan));
    expect(missing.verified === false && missing.error.code).toBe('CERTIFICATE_REVOKED');
  });
});
