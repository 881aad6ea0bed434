import { describe, expect, it, vi } from 'vitest';
import { DependencyError, KakuninError } from '../../../../src/core/errors.js';
import type { RiskSnapshot } from '../../../../src/core/model.js';
import { verifiedActionId } from '../../../../src/core/verification/action-id.js';
import type { StreamPublishFailure } from '../../../../src/core/verification/action-verifier.js';
import type { NonceStore } from '../../../../src/ports.js';
import { KEYS, NOW, TENANT, World } from './world.js';

const PAYMENT = { action: 'charge', amount: 250, currency: 'EUR', counterparty: 'stripe' };

describe('ActionVerifier: success', () => {
  it.each([
    ['ECDSA P-256', KEYS.ec],
    ['RSA-2048', KEYS.rsa],
  ])('verifies a %s envelope, audits it before answering, then streams it', async (_name, key) => {
    const world = new World();
    const cert = await world.certificate({ key, scope: { allowedActions: ['charge'], maxDailyVolume: 1000 } });
    const envelope = world.envelope(cert, { key, payload: PAYMENT });

    const result = await world.verifier.verify(TENANT, envelope);

    const [entry] = world.entries();
    expect(result).toEqual({
      verified: true,
      agentId: cert.agentId,
      fingerprint: cert.fingerprint,
      riskScore: 0,
      riskBand: 'low',
      auditId: entry?.id,
    });
    expect(entry).toMatchObject({
      type: 'action.verified',
      actorId: cert.agentId,
      payload: PAYMENT,
      nonce: envelope.nonce,
      signature: envelope.signature,
      timestamp: envelope.timestamp,
      riskScore: 0,
    });
    expect(entry?.errorCode).toBeUndefined();
    expect(world.stream.published).toEqual([
      {
        tenantId: TENANT,
        agentId: cert.agentId,
        certificateFingerprint: cert.fingerprint,
        actionId: verifiedActionId(TENANT, cert.fingerprint, envelope.nonce),
        payload: PAYMENT,
        timestamp: envelope.timestamp,
        verifiedAt: NOW,
      },
    ]);
  });

  it('reports the current risk score and band; observe mode passes a score over the threshold', async () => {
    const world = new World();
    const agent = await world.agent({ mode: 'observe', anomalyThreshold: 0.5 });
    world.risk.set(TENANT, agent.id, { score: 0.9, band: 'critical', updatedAt: NOW });
    const cert = await world.certificate({ agentId: agent.id });
    const result = await world.verifier.verify(TENANT, world.envelope(cert));
    expect(result).toMatchObject({ verified: true, riskScore: 0.9, riskBand: 'critical' });
    expect(world.entries()[0]?.riskScore).toBe(0.9);
  });

  it('enforce mode passes a score just under the threshold', async () => {
    const world = new World();
    const agent = await world.agent({ mode: 'enforce', anomalyThreshold: 0.85 });
    world.risk.set(TENANT, agent.id, { score: 0.8499, band: 'high', updatedAt: NOW });
    const result = await world.verifier.verify(TENANT, world.envelope(await world.certificate({ agentId: agent.id })));
    expect(result).toMatchObject({ verified: true, riskBand: 'high' });
  });

  it('accepts timestamps exactly at the window edge, both ways, and honours a configured window', async () => {
    const world = new World();
    const cert = await world.certificate();
    for (const timestamp of [NOW - 300_000, NOW + 300_000]) {
      expect((await world.verifier.verify(TENANT, world.envelope(cert, { timestamp }))).verified).toBe(true);
    }
    const strict = new World({ config: { timestampWindowMs: 1_000 } });
    const strictCert = await strict.certificate();
    const late = await strict.verifier.verify(TENANT, strict.envelope(strictCert, { timestamp: NOW - 1_001 }));
    expect(late.verified === false && late.error.code).toBe('TIMESTAMP_OUT_OF_WINDOW');
  });

  it('claims each nonce until at least timestamp + window, and never shorter than nonceTtlMs after the claim', async () => {
    const claims: number[] = [];
    const spy = (world: World): NonceStore => ({
      claim: async (...args) => {
        claims.push(args[4] - args[3]);
        return world.nonces.claim(...args);
      },
    });
    const world = new World();
    const measured = new World({ nonces: spy(world) });
    const cert = await measured.certificate();
    await measured.verifier.verify(TENANT, measured.envelope(cert, { timestamp: NOW - 100_000 }));
    expect(claims).toEqual([200_000]); // (timestamp + 300 s) − now
    const longer = new World({ nonces: spy(world), config: { nonceTtlMs: 3_600_000 } });
    await longer.verifier.verify(TENANT, longer.envelope(await longer.certificate()));
    expect(claims[1]).toBe(3_600_000);
  });

  it('reads all ancestors in one batch read and notices a revocation on the very next request', async () => {
    const world = new World();
    const root = await world.certificate();
    const middle = await world.certificate({ parent: root });
    const leaf = await world.certificate({ parent: middle });
    const readState = vi.spyOn(world.certificates, 'readVerificationState');
    expect((await world.verifier.verify(TENANT, world.envelope(leaf))).verified).toBe(true);
    expect(readState).toHaveBeenCalledTimes(1);
    const keys = readState.mock.calls[0]?.[1];
    expect(keys?.fingerprints.sort()).toEqual([leaf.fingerprint, root.fingerprint, middle.fingerprint].sort());
    expect(keys?.agentIds.sort()).toEqual([leaf.agentId, root.agentId, middle.agentId].sort());
    await world.certificates.revoke(TENANT, root.fingerprint, 'keyCompromise', NOW);
    const after = await world.verifier.verify(TENANT, world.envelope(leaf));
    expect(after.verified === false && after.error.code).toBe('CERTIFICATE_REVOKED');
  });

  it('calls the velocity store only when the scope declares a velocity limit', async () => {
    const world = new World();
    const consume = vi.spyOn(world.velocity, 'consume');
    await world.verifier.verify(TENANT, world.envelope(await world.certificate({ scope: { maxTransactionSize: 5 } })));
    expect(consume).not.toHaveBeenCalled();
    const limited = await world.certificate({ scope: { maxTransactionsPerHour: 5 } });
    await world.verifier.verify(TENANT, world.envelope(limited));
    expect(consume).toHaveBeenCalledWith({
      tenantId: TENANT,
      at: NOW,
      levels: [{ fingerprint: limited.fingerprint, maxTransactionsPerHour: 5 }],
    });
  });
});

describe('ActionVerifier: dependency failures fail closed', () => {
  it('ledger append fails → DependencyError, nothing verified, and the nonce stays burned', async () => {
    const world = new World();
    const envelope = world.envelope(await world.certificate());
    world.ledger.failNextAppend = true;
    await expect(world.verifier.verify(TENANT, envelope)).rejects.toBeInstanceOf(DependencyError);
    expect(world.entries()).toEqual([]);
    // The publish ran beside the failed append (docs/verification.md): monitoring may count the action, never miss one.
    expect(world.stream.published.map((a) => a.actionId)).toEqual([
      verifiedActionId(TENANT, envelope.certificateFingerprint, envelope.nonce),
    ]);
    const retry = await world.verifier.verify(TENANT, envelope);
    expect(retry.verified === false && retry.error.code).toBe('REPLAY_DETECTED');
    const fresh = await world.verifier.verify(
      TENANT,
      world.envelope((await world.certificates.get(TENANT, envelope.certificateFingerprint))!),
    );
    expect(fresh.verified).toBe(true);
  });

  it('ledger append fails on a rejection too → DependencyError, never an unaudited answer', async () => {
    const world = new World();
    const envelope = world.envelope(await world.certificate(), { key: KEYS.ec2 });
    world.ledger.failNextAppend = true;
    await expect(world.verifier.verify(TENANT, envelope)).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 });
  });

  /** Failures before the ledger append: nothing reaches the stream. */
  const failures: [string, (world: World) => void][] = [
    ['certificates.get', (w) => vi.spyOn(w.certificates, 'get').mockRejectedValue(new Error('timeout'))],
    ['certificates.getMany', (w) => vi.spyOn(w.certificates, 'getMany').mockRejectedValue(new Error('timeout'))],
    ['agents.get', (w) => vi.spyOn(w.agents, 'get').mockRejectedValue(new TypeError('socket hang up'))],
    ['risk.current', (w) => vi.spyOn(w.risk, 'current').mockRejectedValue(new Error('throttled'))],
    ['nonces.claim', (w) => vi.spyOn(w.nonces, 'claim').mockRejectedValue(new Error('throttled'))],
    ['velocity.consume', (w) => vi.spyOn(w.velocity, 'consume').mockRejectedValue(new Error('throttled'))],
    [
      'risk score NaN',
      (w) => vi.spyOn(w.risk, 'current').mockResolvedValue({ score: Number.NaN, band: 'low', updatedAt: NOW }),
    ],
    [
      'risk snapshot without a score',
      (w) => vi.spyOn(w.risk, 'current').mockResolvedValue({ band: 'low', updatedAt: NOW } as unknown as RiskSnapshot),
    ],
    ['risk snapshot null', (w) => vi.spyOn(w.risk, 'current').mockResolvedValue(null as unknown as RiskSnapshot)],
    [
      'risk score below 0',
      (w) => vi.spyOn(w.risk, 'current').mockResolvedValue({ score: -1, band: 'low', updatedAt: NOW }),
    ],
    [
      'risk score above 1',
      (w) => vi.spyOn(w.risk, 'current').mockResolvedValue({ score: 1.5, band: 'critical', updatedAt: NOW }),
    ],
  ];

  /** Failures of the append itself: the publish ran beside it, so the stream may hold the action (once). */
  const ledgerFailures: [string, (world: World) => void][] = [
    [
      'ledger rejects with a KakuninError',
      (w) => vi.spyOn(w.ledger, 'append').mockRejectedValue(new KakuninError('CONFLICT', 'seq taken')),
    ],
    [
      'ledger resolves without an entry id',
      (w) => vi.spyOn(w.ledger, 'append').mockResolvedValue({} as Awaited<ReturnType<typeof w.ledger.append>>),
    ],
    [
      'ledger resolves undefined',
      (w) =>
        vi
          .spyOn(w.ledger, 'append')
          .mockResolvedValue(undefined as unknown as Awaited<ReturnType<typeof w.ledger.append>>),
    ],
  ];

  async function failOnce(fail: (world: World) => void) {
    const world = new World();
    const parent = await world.certificate();
    const cert = await world.certificate({ parent, scope: { maxTransactionsPerHour: 1 } });
    const envelope = world.envelope(cert);
    fail(world);
    const error = await world.verifier.verify(TENANT, envelope).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).toBody()).toEqual({ code: 'UNAVAILABLE', message: expect.any(String) });
    expect(world.entries().filter((e) => e.type === 'action.verified')).toEqual([]);
    return { world, cert, envelope };
  }

  it.each(failures)(
    '%s fails → DependencyError (503), nothing audited as verified, nothing streamed',
    async (_n, fail) => {
      const { world } = await failOnce(fail);
      expect(world.stream.published).toEqual([]);
    },
  );

  it.each(ledgerFailures)(
    '%s → DependencyError (503), the velocity given back, at most this action streamed',
    async (_n, fail) => {
      const { world, cert, envelope } = await failOnce(fail);
      const actionId = verifiedActionId(TENANT, cert.fingerprint, envelope.nonce);
      expect(world.stream.published.map((a) => a.actionId)).toEqual([actionId]);
      vi.restoreAllMocks();
      // The one-per-hour limit was released: a fresh envelope of the same certificate still fits.
      expect((await world.verifier.verify(TENANT, world.envelope(cert))).verified).toBe(true);
    },
  );

  it('stream publish fails → the audited action stays verified and the failure is reported without secrets', async () => {
    const reports: StreamPublishFailure[] = [];
    const world = new World({ onStreamPublishFailure: (failure) => reports.push(failure) });
    vi.spyOn(world.stream, 'publish').mockRejectedValue(new Error('ProvisionedThroughputExceeded'));
    const envelope = world.envelope(await world.certificate());
    const result = await world.verifier.verify(TENANT, envelope);
    expect(result.verified).toBe(true);
    expect(world.entries()[0]?.type).toBe('action.verified');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ auditId: result.verified ? result.auditId : 'none', tenantId: TENANT });
    expect(JSON.stringify(reports[0])).not.toContain(envelope.signature);
  });

  it('a reporter that throws cannot turn a verified action into an error', async () => {
    const world = new World({
      onStreamPublishFailure: () => {
        throw new Error('metrics down');
      },
    });
    vi.spyOn(world.stream, 'publish').mockRejectedValue(new Error('down'));
    expect((await world.verifier.verify(TENANT, world.envelope(await world.certificate()))).verified).toBe(true);
  });

  it('a corrupt record whose key type disagrees with its algorithm fails closed', async () => {
    const world = new World();
    const cert = await world.certificate({ key: KEYS.ec, publicKeyAlgorithm: 'RSA' });
    const result = await world.verifier.verify(TENANT, world.envelope(cert));
    expect(result.verified === false && result.error.code).toBe('SIGNATURE_INVALID');
  });

  it('refuses an invalid configuration at construction', () => {
    expect(() => new World({ config: { timestampWindowMs: -1 } })).toThrow(RangeError);
    expect(() => new World({ config: { nonceTtlMs: 1.5 } })).toThrow(RangeError);
  });
});
