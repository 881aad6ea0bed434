/**
 * ToolGuard against the real handlers: a permitted call runs the tool, every refusal (scope, action, revoked
 * certificate, bad arguments, unreadable certificate) keeps it from running and throws the §4 code with its field,
 * shadow mode runs and logs, and only an unavailable service may fail open.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Kakunin, KakuninError, localSigner, ToolGuard } from '../../packages/sdk/src/index.js';
import { csrFor } from './support/csr.js';
import {
  auditedVerifications,
  type GuardedAgent,
  guardedAgent,
  OVERSIZED_CHARGE,
  PERMITTED_CHARGE,
} from './support/guarded-agent.js';
import { BASE_URL, harnessFetch } from './support/in-process-fetch.js';

let agent: GuardedAgent;
beforeEach(async () => {
  agent = await guardedAgent();
});

const refusalOf = async (promise: Promise<unknown>): Promise<KakuninError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KakuninError);
  return error as KakuninError;
};

describe('ToolGuard.wrap', () => {
  it('runs the tool once its call verified, with the arguments it was given', async () => {
    const tool = vi.fn(async (params: { amount: number }, extra: string) => `charged ${params.amount} ${extra}`);
    const charge = agent.guard().wrap('charge', tool);
    await expect(charge(PERMITTED_CHARGE as { amount: number }, 'x')).resolves.toBe('charged 50 x');
    expect(tool).toHaveBeenCalledOnce();
    expect(await auditedVerifications(agent)).toEqual([expect.objectContaining({ type: 'action.verified' })]);
  });

  it('refuses an amount above the scope: the tool never runs, the error names the code and the field', async () => {
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    const error = await refusalOf(agent.guard().wrap('charge', tool)(OVERSIZED_CHARGE));
    expect(error).toMatchObject({ code: 'SCOPE_VIOLATION', status: 403 });
    expect(error.field).toMatch(/amount/);
    expect(error.message).toContain('SCOPE_VIOLATION');
    expect(error.message).toContain('the tool did not run');
    expect(tool).not.toHaveBeenCalled();
    expect(agent.logs).toEqual([expect.objectContaining({ outcome: 'refused', action: 'charge' })]);
    expect(await auditedVerifications(agent)).toEqual([
      expect.objectContaining({ type: 'action.rejected', errorCode: 'SCOPE_VIOLATION' }),
    ]);
  });

  it('signs the tool name as the action: an argument called "action" cannot turn a refund into a charge', async () => {
    const tool = vi.fn(async (_params?: unknown) => 'refunded');
    const refund = agent.guard().wrap('refund', tool);
    const error = await refusalOf(refund({ ...PERMITTED_CHARGE, action: 'charge' }));
    expect(error).toMatchObject({ code: 'SCOPE_VIOLATION', field: expect.stringMatching(/action/) });
    expect(tool).not.toHaveBeenCalled();
  });

  it('maps arguments with toPayload; a counterparty outside the scope is refused', async () => {
    const tool = vi.fn(async (_params?: unknown) => 'paid');
    const guard = agent.guard({
      toPayload: (args) => {
        const { cents, to } = args as { cents: number; to: string };
        return { amount: cents / 100, currency: 'EUR', counterparty: to };
      },
    });
    const pay = guard.wrap('charge', tool);
    await expect(pay({ cents: 4_200, to: 'stripe' })).resolves.toBe('paid');
    const error = await refusalOf(pay({ cents: 4_200, to: 'mallory' }));
    expect(error).toMatchObject({ code: 'SCOPE_VIOLATION', field: expect.stringMatching(/counterparty/) });
    expect(tool).toHaveBeenCalledOnce();
  });

  it('refuses arguments that cannot be signed faithfully (NaN, class instances) without calling the service', async () => {
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    const charge = agent.guard({ onUnavailable: 'fail-open' }).wrap('charge', tool);
    expect(await refusalOf(charge({ ...PERMITTED_CHARGE, amount: Number.NaN }))).toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'payload.amount',
    });
    expect(await refusalOf(charge({ ...PERMITTED_CHARGE, when: new Date() }))).toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(tool).not.toHaveBeenCalled();
    expect(await auditedVerifications(agent)).toEqual([]);
  });

  it('refuses every call under a revoked certificate (signed locally, refused by verification)', async () => {
    const { csr, privateKeyPem } = await csrFor();
    const cert = await agent.client.agents.getCertificate(agent.agentId, {
      scope: { allowedActions: ['charge'] },
      csr,
    });
    await agent.client.certificates.revoke(cert.fingerprint, 'keyCompromise');
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    const guard = agent.guard({
      certificateFingerprint: cert.fingerprint,
      signer: localSigner(privateKeyPem),
      clock: { now: () => agent.api.clock.now() },
    });
    expect(await refusalOf(guard.wrap('charge', tool)({ amount: 1 }))).toMatchObject({
      code: 'CERTIFICATE_REVOKED',
      status: 403,
    });
    expect(tool).not.toHaveBeenCalled();
  });

  it('a service-held key cannot sign under a revoked certificate either: the tool does not run', async () => {
    await agent.client.certificates.revoke(agent.fingerprint, 'keyCompromise');
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    const error = await refusalOf(agent.guard({ onUnavailable: 'fail-open' }).wrap('charge', tool)(PERMITTED_CHARGE));
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
    expect(tool).not.toHaveBeenCalled();
  });

  it('shadow mode runs a call enforce mode would refuse, and logs the refusal', async () => {
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    const charge = agent.guard({ mode: 'shadow' }).wrap('charge', tool);
    await expect(charge(OVERSIZED_CHARGE)).resolves.toBe('charged');
    expect(agent.logs).toEqual([
      expect.objectContaining({ outcome: 'shadow_refused', code: 'SCOPE_VIOLATION', action: 'charge' }),
    ]);
    expect(JSON.stringify(agent.logs)).not.toMatch(/signature|Bearer/i);
  });
});

describe('ToolGuard when the service cannot answer', () => {
  const downClient = (status?: number) =>
    new Kakunin({
      baseUrl: BASE_URL,
      apiKey: 'unused',
      retries: 0,
      fetch: async () => {
        if (status === undefined) throw new TypeError('fetch failed: ECONNREFUSED');
        return new Response(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'down' } }), { status });
      },
    });

  it('fails closed by default: UNAVAILABLE, the tool does not run', async () => {
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    for (const client of [downClient(), downClient(503)]) {
      const error = await refusalOf(agent.guard({ client }).wrap('charge', tool)(PERMITTED_CHARGE));
      expect(error.code).toBe('UNAVAILABLE');
    }
    expect(tool).not.toHaveBeenCalled();
  });

  it('fails open only when told to, and only for unavailability, never for a 4xx', async () => {
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    const open = agent.guard({ client: downClient(), onUnavailable: 'fail-open' }).wrap('charge', tool);
    await expect(open(PERMITTED_CHARGE)).resolves.toBe('charged');
    expect(agent.logs.at(-1)).toMatchObject({ outcome: 'unavailable_fail_open', code: 'UNAVAILABLE' });

    const wrongKey = new Kakunin({ baseUrl: BASE_URL, apiKey: 'kk_wrong', fetch: harnessFetch(agent.api) });
    const refused = agent.guard({ client: wrongKey, onUnavailable: 'fail-open' }).wrap('charge', tool);
    expect(await refusalOf(refused(PERMITTED_CHARGE))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(tool).toHaveBeenCalledOnce();
  });
});

describe('ToolGuard certificate sources', () => {
  it('reads the fingerprint from certificatePath (PEM file), and refuses when the file is unreadable', async () => {
    const cert = await agent.client.agents.getCertificate(agent.agentId, {
      scope: { allowedActions: ['charge'] },
    });
    const dir = mkdtempSync(join(tmpdir(), 'kakunin-guard-'));
    const path = join(dir, 'cert.pem');
    writeFileSync(path, cert.pem);
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    const guard = new ToolGuard({ agentId: agent.agentId, certificatePath: path, client: agent.client, logger: false });
    await expect(guard.wrap('charge', tool)({ amount: 1, currency: 'EUR' })).resolves.toBe('charged');

    const missing = new ToolGuard({
      agentId: agent.agentId,
      certificatePath: join(dir, 'absent.pem'),
      client: agent.client,
      onUnavailable: 'fail-open',
      logger: false,
    });
    expect(await refusalOf(missing.wrap('charge', tool)({ amount: 1 }))).toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'certificatePath',
    });
    expect(tool).toHaveBeenCalledOnce();
  });

  it('needs a certificate and a known mode at construction', () => {
    expect(() => new ToolGuard({ agentId: agent.agentId, client: agent.client })).toThrow(/certificate/);
    expect(
      () =>
        new ToolGuard({
          agentId: agent.agentId,
          certificateFingerprint: agent.fingerprint,
          mode: 'audit' as never,
        }),
    ).toThrow(/mode/);
  });
});
