import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../../src/core/canonical-json.js';
import { createTestApi, type TestApi } from './harness.js';

const SCOPE = {
  maxTransactionSize: 50_000,
  currency: 'EUR',
  allowedCounterparties: ['stripe', 'adyen'],
  allowedActions: ['charge', 'refund'],
  allowedRegions: ['eu-west-1'],
  maxTransactionsPerHour: 100,
  maxDailyVolume: 1_000_000,
};
const CHARGE = { action: 'charge', amount: 9900, currency: 'EUR', counterparty: 'stripe', region: 'eu-west-1' };

describe('full flow through the handlers', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await createTestApi();
    admin = await api.key('t1', 'admin');
  });

  it('registers, issues, signs, verifies, refuses a replay, revokes, and audits', async () => {
    const created = await api.call({
      method: 'POST',
      path: '/v1/agents',
      key: admin,
      body: { name: 'payment-processor-eu-v3' },
    });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toMatch(/^application\/json/);
    expect(created.json).toMatchObject({
      name: 'payment-processor-eu-v3',
      metadata: {},
      mode: 'observe',
      status: 'active',
    });
    expect(created.json.warningThreshold).toBe(0.75);
    expect(created.json.anomalyThreshold).toBe(0.85);
    expect(created.json.id).toMatch(/^a_[0-9a-z]{20}$/);
    expect(created.json.createdAt).toBe('2026-01-15T12:00:00.000Z');
    const agentId = created.json.id as string;

    const issued = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/certificates`,
      key: admin,
      body: { scope: SCOPE, validityDays: 30 },
    });
    expect(issued.status).toBe(201);
    expect(issued.json.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(issued.json.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(issued.json.pem).toContain('BEGIN CERTIFICATE');
    expect(issued.json.chainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(issued.json.notAfter).toBe('2026-02-14T12:00:00.000Z');
    expect(issued.json.keyRef).toBeTypeOf('string');
    const fingerprint = issued.json.fingerprint as string;
    expect(api.ports.events.published.at(-1)).toMatchObject({
      type: 'certificate.issued',
      data: { agent_id: agentId, certificate_fingerprint: fingerprint, not_after: '2026-02-14T12:00:00.000Z' },
    });
    expect(api.ports.events.published.at(-1)?.id).toMatch(/^evt_[0-9a-z]+$/);

    const signed = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/sign`,
      key: admin,
      body: { payload: CHARGE, certificateFingerprint: fingerprint },
    });
    expect(signed.status).toBe(200);
    const envelope = signed.json;
    expect(envelope).toMatchObject({ payload: CHARGE, certificateFingerprint: fingerprint });
    const { signature, ...unsigned } = envelope;
    const state = await api.call({ method: 'GET', path: `/v1/certificates/${fingerprint}`, key: admin });
    expect(state.json).toMatchObject({ valid: true, status: 'active', agentId, fingerprint, scope: SCOPE });
    const publicKey = createPublicKey(state.json.publicKey);
    expect(
      verify(
        'sha256',
        canonicalBytes(unsigned),
        { key: publicKey, dsaEncoding: 'der' },
        Buffer.from(signature, 'base64'),
      ),
    ).toBe(true);

    const verifier = await api.key('t1', 'verifier');
    const ok = await api.call({ method: 'POST', path: '/v1/actions/verify', key: verifier, body: envelope });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ verified: true, agentId, fingerprint, riskBand: 'low' });
    expect(ok.json.auditId).toBeTypeOf('string');

    const replay = await api.call({ method: 'POST', path: '/v1/actions/verify', key: verifier, body: envelope });
    expect(replay.status).toBe(403);
    expect(replay.json).toMatchObject({ verified: false, error: { code: 'REPLAY_DETECTED' } });

    const revoked = await api.call({
      method: 'POST',
      path: `/v1/certificates/${fingerprint}/revoke`,
      key: admin,
      body: { reason: 'keyCompromise' },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toEqual({ status: 'revoked', revokedAt: '2026-01-15T12:00:00.000Z' });
    api.clock.set(api.clock.now() + 60_000);
    const again = await api.call({
      method: 'POST',
      path: `/v1/certificates/${fingerprint}/revoke`,
      key: admin,
      body: { reason: 'superseded' },
    });
    expect(again.json).toEqual({ status: 'revoked', revokedAt: '2026-01-15T12:00:00.000Z' });
    // Announced at least once: a repeated revoke announces the first revocation again (an earlier attempt may have
    // failed before announcing); both events carry the first time and reason.
    const revocationEvents = api.ports.events.published.filter((e) => e.type === 'agent.certificate_revoked');
    expect(revocationEvents).toHaveLength(2);
    for (const event of revocationEvents) {
      expect(event.data).toEqual({
        agent_id: agentId,
        certificate_fingerprint: fingerprint,
        revocation_reason: 'keyCompromise',
        revoked_at: '2026-01-15T12:00:00.000Z',
      });
    }

    const after = await api.call({ method: 'GET', path: `/v1/certificates/${fingerprint}`, key: verifier });
    expect(after.json).toMatchObject({
      valid: false,
      status: 'revoked',
      reason: 'revoked',
      revocationReason: 'keyCompromise',
    });
    const resign = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/sign`,
      key: admin,
      body: { payload: CHARGE, certificateFingerprint: fingerprint },
    });
    expect(resign.status).toBe(400);
    expect(resign.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'certificateFingerprint' });

    const types = api.ports.ledger.rawChain('t1').map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['agent.created', 'certificate.issued', 'action.verified', 'action.rejected']),
    );
    // The revocation and its repetition are both audited; the repetition says so and keeps the first reason.
    const revocations = api.ports.ledger.rawChain('t1').filter((e) => e.type === 'certificate.revoked');
    expect(revocations.map((e) => e.payload)).toEqual([
      expect.objectContaining({ reason: 'keyCompromise' }),
      expect.objectContaining({ reason: 'keyCompromise', repeated: true, requestedReason: 'superseded' }),
    ]);
    expect(types).toContain('action.signed');
    expect((await api.ports.ledger.verify('t1')).valid).toBe(true);
  });

  it('serves the chain as PEM and the CRL as base64 DER', async () => {
    const chain = await api.call({ method: 'GET', path: '/v1/ca/chain', query: { tenant: 't1' } });
    expect(chain.status).toBe(200);
    expect(chain.headers['content-type']).toBe('application/x-pem-file');
    expect(chain.text.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    // Contract §2: the tenant's issuing CA first, then the (self-signed) root that issued it.
    const [issuing, root] = (chain.text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []).map(
      (pem) => new X509Certificate(pem),
    );
    expect(root?.checkIssued(root)).toBe(true);
    expect(issuing?.checkIssued(root!)).toBe(true);
    expect(issuing?.checkIssued(issuing)).toBe(false);
    expect(issuing?.ca).toBe(true);
    const crl = await api.call({ method: 'GET', path: '/v1/crl', query: { tenant: 't1' } });
    expect(crl.status).toBe(200);
    expect(crl.headers['content-type']).toBe('application/pkix-crl');
    expect(crl.isBase64Encoded).toBe(true);
    expect(Buffer.from(crl.text, 'base64')[0]).toBe(0x30);
    expect((await api.call({ method: 'GET', path: '/v1/crl', query: { tenant: 'nobody' } })).status).toBe(404);
    const missing = await api.call({ method: 'GET', path: '/v1/crl' });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'tenant' });
    expect((await api.call({ method: 'GET', path: '/health' })).json).toEqual({ status: 'ok' });
  });

  it('lists agents with a cursor and patches them', async () => {
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      ids.push((await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name } })).json.id);
    }
    const first = await api.call({ method: 'GET', path: '/v1/agents', key: admin, query: { limit: '2' } });
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.nextCursor).toBeTypeOf('string');
    const rest = await api.call({
      method: 'GET',
      path: '/v1/agents',
      key: admin,
      query: { limit: '100', cursor: first.json.nextCursor },
    });
    expect(rest.json.nextCursor).toBeUndefined();
    const seen = [...first.json.items, ...rest.json.items].map((a: { id: string }) => a.id);
    expect(seen).toEqual(expect.arrayContaining(ids));

    const patched = await api.call({
      method: 'PATCH',
      path: `/v1/agents/${ids[0]}`,
      key: admin,
      body: { mode: 'enforce', status: 'suspended', warningThreshold: 0.5 },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id: ids[0], mode: 'enforce', status: 'suspended', warningThreshold: 0.5 });
  });
});
