/**
 * The middy gateway middleware with API Gateway REST (v1) and HTTP API (v2) events: a verified envelope reaches the
 * handler with `context.kakunin`; a refused one gets 403 with the contract code and the handler never runs.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { type SignedEnvelope, serviceSigner, signAction } from '../../../packages/sdk/src/index.js';
import { type KakuninContext, kakuninMiddy } from '../../../packages/sdk/src/middy.js';
import { type GuardedAgent, guardedAgent, OVERSIZED_CHARGE, PERMITTED_CHARGE } from '../support/guarded-agent.js';

let agent: GuardedAgent;
beforeEach(async () => {
  agent = await guardedAgent('middy-agent');
});

const sign = (payload: Record<string, unknown>): Promise<SignedEnvelope> =>
  signAction(
    { action: 'charge', ...payload },
    {
      certificateFingerprint: agent.fingerprint,
      signer: serviceSigner(agent.client, agent.agentId),
    },
  );

const restEvent = (body: string, base64 = false) => ({
  body: base64 ? Buffer.from(body).toString('base64') : body,
  isBase64Encoded: base64,
  headers: { 'Content-Type': 'application/json' },
  requestContext: { identity: { sourceIp: '203.0.113.7', userAgent: 'agent-test/1.0' } },
});
const httpApiEvent = (body: string) => ({
  body,
  isBase64Encoded: false,
  headers: { 'content-type': 'application/json' },
  requestContext: { http: { sourceIp: '198.51.100.9', userAgent: 'agent-test/2.0' } },
});

function guardedHandler() {
  const runs: unknown[] = [];
  const origins: unknown[] = [];
  const verify = agent.client.actions.verify;
  agent.client.actions.verify = (envelope, options) => {
    origins.push(options?.origin);
    return verify(envelope, options);
  };
  const handler = middy(async (_event: unknown, context: Context & KakuninContext) => {
    runs.push(context.kakunin?.payload);
    return { statusCode: 200, body: JSON.stringify({ agentId: context.kakunin?.agentId }) };
  }).use(kakuninMiddy({ client: agent.client, action: 'charge' }));
  return { handler, runs, origins };
}

describe('kakuninMiddy', () => {
  it('runs the handler for a verified envelope (REST v1, base64 body), with the caller origin', async () => {
    const { handler, runs, origins } = guardedHandler();
    const answer = await handler(restEvent(JSON.stringify(await sign(PERMITTED_CHARGE)), true), {} as Context);
    expect(answer).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((answer as { body: string }).body)).toEqual({ agentId: agent.agentId });
    expect(runs).toHaveLength(1);
    expect(origins).toEqual([{ ip: '203.0.113.7', userAgent: 'agent-test/1.0' }]);
  });

  it('answers 403 early for an out-of-scope envelope (HTTP API v2); the handler never runs', async () => {
    const { handler, runs, origins } = guardedHandler();
    const answer = (await handler(httpApiEvent(JSON.stringify(await sign(OVERSIZED_CHARGE))), {} as Context)) as {
      statusCode: number;
      body: string;
    };
    expect(answer.statusCode).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ verified: false, error: { code: 'SCOPE_VIOLATION' } });
    expect(runs).toEqual([]);
    expect(origins).toEqual([{ ip: '198.51.100.9', userAgent: 'agent-test/2.0' }]);
  });

  it('answers 400 for a body that is not an envelope', async () => {
    const { handler, runs } = guardedHandler();
    const answer = (await handler(httpApiEvent('not json'), {} as Context)) as { statusCode: number; body: string };
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'INVALID_REQUEST', field: 'envelope' } });
    expect(runs).toEqual([]);
  });
});
