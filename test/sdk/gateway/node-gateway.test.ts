/**
 * The gateway middleware (`@kakunin/sdk/node`) in front of real Express and Fastify (middie) servers on port 0, with
 * the real handlers behind the client: a verified envelope reaches the route with `req.kakunin`; a refused, replayed,
 * mis-routed, malformed or unverifiable one is answered (403/400/503 with the contract code) before the route runs.
 */
import type { AddressInfo } from 'node:net';
import middie from '@fastify/middie';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Kakunin, type SignedEnvelope, serviceSigner, signAction } from '../../../packages/sdk/src/index.js';
import { type KakuninRequest, kakuninGateway } from '../../../packages/sdk/src/node.js';
import { type GuardedAgent, guardedAgent, OVERSIZED_CHARGE, PERMITTED_CHARGE } from '../support/guarded-agent.js';

let agent: GuardedAgent;
let routeRuns: unknown[];
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  agent = await guardedAgent('gateway-agent');
  routeRuns = [];
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const sign = (payload: Record<string, unknown>): Promise<SignedEnvelope> =>
  signAction(
    { action: 'charge', ...payload },
    {
      certificateFingerprint: agent.fingerprint,
      signer: serviceSigner(agent.client, agent.agentId),
    },
  );

async function expressApp(client: Kakunin = agent.client): Promise<string> {
  const app = express();
  app.post('/charges', express.json(), kakuninGateway({ client, action: 'charge' }), (req, res) => {
    const { kakunin } = req as KakuninRequest;
    routeRuns.push(kakunin?.payload);
    res.json({ agentId: kakunin?.agentId, amount: kakunin?.payload.amount });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/charges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'agent-test/1.0', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('kakuninGateway with Express', () => {
  it('lets a verified envelope through with req.kakunin, and sends the caller origin with the check', async () => {
    const verify = agent.client.actions.verify;
    const origins: unknown[] = [];
    agent.client.actions.verify = (envelope, options) => {
      origins.push(options?.origin);
      return verify(envelope, options);
    };
    const url = await expressApp();
    const answer = await post(url, await sign(PERMITTED_CHARGE));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ agentId: agent.agentId, amount: 50 });
    expect(routeRuns).toHaveLength(1);
    expect(origins).toEqual([{ ip: '127.0.0.1', userAgent: 'agent-test/1.0' }]);
    // The service audited where the action came from.
    const verified = agent.api.ports.ledger.rawChain('t1').filter((entry) => entry.type === 'action.verified');
    expect(verified.map((entry) => (entry as { origin?: unknown }).origin)).toEqual([
      { ip: '127.0.0.1', userAgent: 'agent-test/1.0' },
    ]);
  });

  it('answers 403 with the contract code before the route runs: out of scope, replayed', async () => {
    const url = await expressApp();
    const big = await post(url, await sign(OVERSIZED_CHARGE));
    expect(big.status).toBe(403);
    expect(await big.json()).toMatchObject({ verified: false, error: { code: 'SCOPE_VIOLATION' } });

    const envelope = await sign(PERMITTED_CHARGE);
    expect((await post(url, envelope)).status).toBe(200);
    const replay = await post(url, envelope);
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({ error: { code: 'REPLAY_DETECTED' } });
    expect(routeRuns).toHaveLength(1);
  });

  it('refuses an envelope signed for another action without spending its nonce', async () => {
    const url = await expressApp();
    // `lookup` is in the certificate's scope, but this route performs `charge`.
    const lookup = await signAction(
      { ...PERMITTED_CHARGE, action: 'lookup' },
      {
        certificateFingerprint: agent.fingerprint,
        signer: serviceSigner(agent.client, agent.agentId),
      },
    );
    const answer = await post(url, lookup);
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({ error: { code: 'SCOPE_VIOLATION', field: 'action' } });
    expect(routeRuns).toEqual([]);
    // It was never sent to the service: there, the same envelope still verifies (its nonce is unspent).
    expect(await agent.client.actions.verify(lookup)).toMatchObject({ verified: true });
  });

  it('takes the envelope from the Kakunin-Envelope header (base64url) when the body is the business request', async () => {
    const url = await expressApp();
    const envelope = await sign(PERMITTED_CHARGE);
    const header = Buffer.from(JSON.stringify(envelope)).toString('base64url');
    const answer = await post(url, { note: 'unsigned business body' }, { 'kakunin-envelope': header });
    expect(answer.status).toBe(200);
  });

  it('answers 400 INVALID_REQUEST for a missing or malformed envelope and 413 for an oversized one', async () => {
    const url = await expressApp();
    const missing = await fetch(`${url}/charges`, { method: 'POST' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: 'INVALID_REQUEST', field: 'envelope' } });
    const notBase64 = await post(url, {}, { 'kakunin-envelope': '%%%' });
    expect(await notBase64.json()).toMatchObject({ error: { code: 'INVALID_REQUEST', field: 'envelope' } });
    const huge = await post(
      url,
      {},
      { 'kakunin-envelope': Buffer.from(`{"x":"${'a'.repeat(70_000)}"}`).toString('base64url') },
    );
    expect([413, 431]).toContain(huge.status);
    expect(routeRuns).toEqual([]);
  });

  it('fails closed with 503 UNAVAILABLE when the service cannot be reached', async () => {
    const down = new Kakunin({
      baseUrl: 'http://kakunin.test',
      retries: 0,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const url = await expressApp(down);
    const answer = await post(url, await sign(PERMITTED_CHARGE));
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
    expect(routeRuns).toEqual([]);
  });
});

describe('kakuninGateway with Fastify (@fastify/middie, hook preHandler)', () => {
  it('passes a verified envelope with request.raw.kakunin, refuses an out-of-scope one with 403', async () => {
    const app = Fastify();
    await app.register(middie, { hook: 'preHandler' });
    app.use('/charges', kakuninGateway({ client: agent.client, action: 'charge' }));
    app.post('/charges', async (request) => {
      const { kakunin } = request.raw as KakuninRequest;
      routeRuns.push(kakunin?.payload);
      return { agentId: kakunin?.agentId };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const ok = await post(url, await sign(PERMITTED_CHARGE));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ agentId: agent.agentId });
    const big = await post(url, await sign(OVERSIZED_CHARGE));
    expect(big.status).toBe(403);
    expect(await big.json()).toMatchObject({ verified: false, error: { code: 'SCOPE_VIOLATION' } });
    expect(routeRuns).toHaveLength(1);
  });
});
