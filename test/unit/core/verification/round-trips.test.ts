/**
 * Issue 9, "faster verification": on AWS each port call is a network round trip, so the number of SEQUENTIAL port
 * calls is the verification's latency. Warm (immutable facts cached), a verification makes 2 sequential rounds without
 * velocity limits (state read with the risk score ∥ nonce claim, then the ledger append ∥ the stream publish) and 3
 * with them (every velocity level at once, between the two). Before issue 9: 5 and 6 (the nonce after the state read,
 * the levels one by one, the publish after the append).
 * Each port call is tagged with its depth: 1 + the deepest call that had completed when it started.
 */
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../../../src/core/model.js';
import { KEYS, TENANT, World } from './world.js';

function traced(world: World) {
  let completedDepth = 0;
  const calls: { port: string; depth: number }[] = [];
  const wrap = <T extends object>(port: string, target: T, methods: (keyof T)[]) => {
    for (const method of methods) {
      const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
      (target as Record<keyof T, unknown>)[method] = async (...args: unknown[]) => {
        const depth = completedDepth + 1;
        calls.push({ port: `${port}.${String(method)}`, depth });
        try {
          return await original(...args);
        } finally {
          completedDepth = Math.max(completedDepth, depth);
        }
      };
    }
  };
  wrap('certificates', world.certificates, ['get', 'getMany', 'readVerificationState']);
  wrap('agents', world.agents, ['get']);
  wrap('risk', world.risk, ['current']);
  wrap('nonces', world.nonces, ['claim']);
  wrap('velocity', world.velocity, ['consume']);
  wrap('ledger', world.ledger, ['append']);
  wrap('stream', world.stream, ['publish']);
  return {
    reset() {
      completedDepth = 0;
      calls.length = 0;
    },
    depth: () => Math.max(0, ...calls.map((c) => c.depth)),
    calls,
  };
}

async function warmRounds(scope: Scope) {
  const world = new World();
  const parent = await world.certificate({ scope });
  const cert = await world.certificate({ parent, scope });
  const trace = traced(world);
  expect((await world.verifier.verify(TENANT, world.envelope(cert, { payload: { action: 'charge' } }))).verified).toBe(
    true,
  );
  trace.reset();
  const outcome = await world.verifier.verify(TENANT, world.envelope(cert, { payload: { action: 'charge' } }));
  expect(outcome.verified).toBe(true);
  return { depth: trace.depth(), calls: [...trace.calls], world, cert };
}

describe('sequential round trips of a warm verification', () => {
  it('is 2 without velocity limits: state read (risk included) ∥ nonce claim, then append ∥ publish', async () => {
    const { depth, calls } = await warmRounds({});
    expect(depth).toBe(2);
    const at = (port: string) => calls.find((c) => c.port === port)?.depth;
    expect(at('certificates.readVerificationState')).toBe(1);
    expect(at('nonces.claim')).toBe(1);
    expect(at('ledger.append')).toBe(2);
    expect(at('stream.publish')).toBe(2);
    // The risk score comes from inside the state read, not from a call of its own.
    expect(calls.filter((c) => c.port === 'risk.current').map((c) => c.depth)).toEqual([1]);
  });

  it('is 3 with velocity limits: the consumption comes after the nonce, before the audit', async () => {
    const { depth, calls } = await warmRounds({ maxTransactionsPerHour: 100 });
    expect(depth).toBe(3);
    expect(calls.find((c) => c.port === 'velocity.consume')?.depth).toBe(2);
    expect(calls.find((c) => c.port === 'ledger.append')?.depth).toBe(3);
    expect(calls.find((c) => c.port === 'stream.publish')?.depth).toBe(3);
  });

  it('publishes nothing for a rejection: only verified actions reach the stream', async () => {
    const { world, cert } = await warmRounds({ allowedActions: ['charge'] });
    const trace = traced(world);
    const outcome = await world.verifier.verify(TENANT, world.envelope(cert, { payload: { action: 'refund' } }));
    expect(outcome.verified === false && outcome.error.code).toBe('SCOPE_VIOLATION');
    expect(trace.calls.map((c) => c.port)).not.toContain('stream.publish');
  });

  it('claims no nonce for an envelope whose signature fails: a forgery burns nothing', async () => {
    const { world, cert } = await warmRounds({});
    const trace = traced(world);
    const forged = world.envelope(cert, { key: KEYS.ec2 });
    const outcome = await world.verifier.verify(TENANT, forged);
    expect(outcome.verified === false && outcome.error.code).toBe('SIGNATURE_INVALID');
    expect(trace.calls.map((c) => c.port)).not.toContain('nonces.claim');
    const honest = world.envelope(cert, { nonce: forged.nonce });
    expect((await world.verifier.verify(TENANT, honest)).verified).toBe(true);
  });

  it('still answers in contract order when the nonce was claimed beside a revoked status', async () => {
    const { world, cert } = await warmRounds({});
    await world.certificates.revoke(TENANT, cert.fingerprint, 'keyCompromise', Date.now());
    const outcome = await world.verifier.verify(TENANT, world.envelope(cert));
    expect(outcome.verified === false && outcome.error.code).toBe('CERTIFICATE_REVOKED');
  });
});
