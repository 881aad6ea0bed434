/**
 * The gateway middleware verifying offline (an OfflineVerifier pinned to the tenant root): Express and middy answer a
 * refused envelope before business logic, take the agent's certificate from the Kakunin-Certificate header when the
 * verifier does not know it (admitted only if it chains to the pinned root), and answer 400 for a malformed envelope,
 * as the service does.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import middy from '@middy/core';
import { X509CertificateGenerator } from '@peculiar/x509';
import type { Context } from 'aws-lambda';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprintOf, localSigner, type SignedEnvelope, signAction } from '../../../packages/sdk/src/index.js';
import { type KakuninContext, kakuninMiddy } from '../../../packages/sdk/src/middy.js';
import { type KakuninRequest, kakuninGateway } from '../../../packages/sdk/src/node.js';
import {
  type GuardedAgent,
  guardedAgent,
  localCertificate,
  OVERSIZED_CHARGE,
  offlineVerifierFor,
  PERMITTED_CHARGE,
} from '../support/guarded-agent.js';

let agent: GuardedAgent;
let local: Awaited<ReturnType<typeof localCertificate>>;
let routeRuns: unknown[];
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  agent = await guardedAgent('offline-gateway');
  local = await localCertificate(agent);
  routeRuns = [];
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const sign = (payload: Record<string, unknown>, action = 'charge'): Promise<SignedEnvelope> =>
  signAction(
    { ...payload, action },
    { certificateFingerprint: local.cert.fingerprint, signer: local.signer, clock: local.clock },
  );

async function expressApp(knownCertificates: string[]): Promise<string> {
  const verifier = await offlineVerifierFor(agent, knownCertificates);
  const app = express();
  app.post('/charges', express.json(), kakuninGateway({ verifier, action: 'charge' }), (req, res) => {
    const { kakunin } = req as KakuninRequest;
    routeRuns.push(kakunin?.payload);
    res.json({ agentId: kakunin?.agentId, scope: kakunin?.scope, checks: kakunin?.checks });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/charges`;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('kakuninGateway (Express) with an offline verifier', () => {
  it('passes a verified envelope with the certificate scope and says what it did not check', async () => {
    const url = await expressApp([local.cert.pem]);
    const answer = await post(url, await sign(PERMITTED_CHARGE));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      agentId: agent.agentId,
      scope: { maxTransactionSize: 100 },
      checks: { agentStatus: false, velocity: false, risk: false },
    });
    const big = await post(url, await sign(OVERSIZED_CHARGE));
    expect(big.status).toBe(403);
    expect(await big.json()).toMatchObject({ verified: false, error: { code: 'SCOPE_VIOLATION' } });
    expect(routeRuns).toHaveLength(1);
  });

  it('admits the certificate sent base64 in the Kakunin-Certificate header, and refuses without it', async () => {
    const url = await expressApp([]);
    const unknown = await post(url, await sign(PERMITTED_CHARGE));
    expect(unknown.status).toBe(403);
    expect(await unknown.json()).toMatchObject({ error: { code: 'CERTIFICATE_UNKNOWN' } });
    const certificate = Buffer.from(local.cert.pem).toString('base64');
    const known = await post(url, await sign(PERMITTED_CHARGE), { 'kakunin-certificate': certificate });
    expect(known.status).toBe(200);
    expect(routeRuns).toHaveLength(1);
  });

  it('does not admit a self-made certificate sent in the header: it does not chain to the pinned root', async () => {
    const url = await expressApp([]);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const keys = {
      privateKey: await crypto.subtle.importKey(
        'pkcs8',
        privateKey.export({ type: 'pkcs8', format: 'der' }),
        algorithm,
        true,
        ['sign'],
      ),
      publicKey: await crypto.subtle.importKey(
        'spki',
        publicKey.export({ type: 'spki', format: 'der' }),
        algorithm,
        true,
        ['verify'],
      ),
    };
    const forged = await X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=forged',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    });
    const forgedPem = forged.toString('pem');
    // Signed correctly with the forged key under the forged certificate's own fingerprint: only the chain stops it.
    const envelope = await signAction(
      { ...PERMITTED_CHARGE, action: 'charge' },
      {
        certificateFingerprint: fingerprintOf(forgedPem),
        signer: localSigner(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
        clock: local.clock,
      },
    );
    const answer = await post(url, envelope, { 'kakunin-certificate': Buffer.from(forgedPem).toString('base64') });
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({ error: { code: 'CERTIFICATE_UNKNOWN' } });
    expect(routeRuns).toEqual([]);
  });

  it('answers 400 INVALID_REQUEST for a malformed envelope, as the service would', async () => {
    const url = await expressApp([local.cert.pem]);
    const envelope = await sign(PERMITTED_CHARGE);
    const answer = await post(url, { ...envelope, nonce: 'short' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    expect(routeRuns).toEqual([]);
  });
});

describe('kakuninMiddy with an offline verifier', () => {
  it('runs the handler for a verified envelope and answers 403 early for a replay', async () => {
    const runs: unknown[] = [];
    const handler = middy(async (_event: unknown, context: Context & KakuninContext) => {
      runs.push(context.kakunin?.agentId);
      return { statusCode: 200, body: 'ok' };
    }).use(kakuninMiddy({ verifier: await offlineVerifierFor(agent, [local.cert.pem]), action: 'charge' }));
    const event = {
      body: JSON.stringify(await sign(PERMITTED_CHARGE)),
      headers: {},
      requestContext: { http: { sourceIp: '198.51.100.9' } },
    };
    expect(await handler(event, {} as Context)).toMatchObject({ statusCode: 200 });
    const replay = (await handler(event, {} as Context)) as { statusCode: number; body: string };
    expect(replay.statusCode).toBe(403);
    expect(JSON.parse(replay.body)).toMatchObject({ verified: false, error: { code: 'REPLAY_DETECTED' } });
    expect(runs).toEqual([agent.agentId]);
  });
});
