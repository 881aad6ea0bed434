/**
 * The client against the service's real handlers (in process): the guide's registration and certificate snippets as
 * written, certificate status and revocation, cursor pagination over real pages, and the contract errors as
 * KakuninError. (The monitoring, webhook and audit routes are typed from the contract and exercised with a scripted
 * fetch in client-http.test.ts until the service serves them.)
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Kakunin, KakuninError } from '../../packages/sdk/src/index.js';
import { BASE_URL, createTestApiWithAgent, harnessFetch, type TestApi } from './support/in-process-fetch.js';

let api: TestApi;
let kakunin: Kakunin;

beforeEach(async () => {
  const setup = await createTestApiWithAgent('routes-seed');
  api = setup.api;
  kakunin = new Kakunin({ baseUrl: BASE_URL, apiKey: setup.admin, fetch: harnessFetch(api), retries: 0 });
});

describe('Kakunin client ↔ service routes', () => {
  it("runs the guide's registration and certificate snippets as written", async () => {
    const agent = await kakunin.agents.create({
      name: 'payment-processor-eu-v3',
      metadata: { version: '3.1.0', deployment: 'k8s-eu-west-1', instance: process.env.POD_NAME },
    });
    expect(agent).toMatchObject({ name: 'payment-processor-eu-v3', mode: 'observe', status: 'active' });
    const cert = await kakunin.agents.getCertificate(agent.id, {
      validityDays: 365,
      scope: {
        maxTransactionSize: 10000,
        allowedCounterparties: ['stripe', 'revolut'],
        allowedActions: ['charge', 'refund'],
        allowedRegions: ['eu-west-1', 'eu-central-1'],
      },
    });
    expect(cert.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(cert.keyRef).toBeDefined();
    // Local mode's key vault is not KMS, so there is no ARN to expose.
    expect(cert.kmsKeyArn).toBeUndefined();

    const status = await kakunin.certificates.verify(cert.fingerprint);
    expect(status).toMatchObject({
      valid: true,
      agentId: agent.id,
      scope: { maxTransactionSize: 10000, currency: 'EUR' },
    });
    expect(status.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    expect(await kakunin.certificates.revoke(cert.fingerprint, 'keyCompromise')).toMatchObject({ status: 'revoked' });
    const after = await kakunin.certificates.verify(cert.fingerprint);
    expect(after).toMatchObject({ valid: false, reason: 'revoked', revocationReason: 'keyCompromise' });
    expect((await kakunin.agents.get(agent.id)).id).toBe(agent.id);
    expect(await kakunin.agents.update(agent.id, { mode: 'enforce' })).toMatchObject({ mode: 'enforce' });
  });

  it('iterates every agent across cursor pages', async () => {
    for (const name of ['a-one', 'a-two', 'a-three']) await kakunin.agents.create({ name });
    const names: string[] = [];
    for await (const agent of kakunin.agents.list({ limit: 1 })) names.push(agent.name);
    expect(names.sort()).toEqual(['a-one', 'a-three', 'a-two', 'routes-seed']);
    const first = await kakunin.agents.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTypeOf('string');
  });

  it('maps the contract errors to KakuninError {status, code, field}', async () => {
    const cases: [Promise<unknown>, number, string][] = [
      [kakunin.agents.get('a_doesnotexist0000000'), 404, 'NOT_FOUND'],
      [kakunin.agents.create({ name: 'bad name!' }), 400, 'INVALID_REQUEST'],
      [
        new Kakunin({ baseUrl: BASE_URL, apiKey: 'kk_wrong', fetch: harnessFetch(api) }).agents.get('a_x'),
        401,
        'UNAUTHENTICATED',
      ],
    ];
    for (const [call, status, code] of cases) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KakuninError);
      expect(error).toMatchObject({ status, code });
    }
    const verifierKey = await api.key('t1', 'verifier');
    const verifier = new Kakunin({ baseUrl: BASE_URL, apiKey: verifierKey, fetch: harnessFetch(api) });
    await expect(verifier.agents.create({ name: 'nope' })).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const badField = await kakunin.agents.create({ name: 'x', mode: 'sometimes' as never }).catch((e: unknown) => e);
    expect(badField).toMatchObject({ code: 'INVALID_REQUEST', field: 'mode' });
  });

  it('adds kmsKeyArn when the service key is a KMS ARN (the deployed service)', async () => {
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const fetchImpl: typeof fetch = async () =>
      new Response(JSON.stringify({ fingerprint: 'sha256:x', keyRef: arn, pem: '', chainPem: '', scope: {} }), {
        status: 201,
      });
    const deployed = new Kakunin({ baseUrl: BASE_URL, apiKey: 'k', fetch: fetchImpl });
    expect((await deployed.agents.getCertificate('a_1', { scope: {} })).kmsKeyArn).toBe(arn);
  });
});
