/**
 * The behavioural pipeline through the real handlers and the real revocation path (in-memory ports, the scripted
 * engine: each action's `payload.score` is its score): origin on verify and sign, the consumer's warning and
 * automatic revocation (cascade, event, audit), RISK_THRESHOLD_EXCEEDED from the stored score, observe mode.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createActionConsumer, MONITORING_ACTOR } from '../../../src/app/monitoring.js';
import type { ActionConsumer } from '../../../src/core/monitoring/action-consumer.js';
import { verifiedActionId } from '../../../src/core/verification/action-id.js';
import { scriptedEngine } from '../core/monitoring/scripted-engine.js';
import { createTestApi, type TestApi } from './harness.js';

const SCOPE = { allowedActions: ['charge'], maxTransactionSize: 10_000 };

describe('behavioural pipeline over the handlers', () => {
  let api: TestApi;
  let admin: string;
  let verifier: string;
  let consumer: ActionConsumer;

  beforeEach(async () => {
    api = await createTestApi();
    admin = await api.key('t1', 'admin');
    verifier = await api.key('t1', 'verifier');
    consumer = createActionConsumer({ ...api.ctx, engine: scriptedEngine() });
  });

  async function agentWithCertificate(body: Record<string, unknown>) {
    const agent = await api.call({ method: 'POST', path: '/v1/agents', key: admin, body });
    const cert = await api.call({
      method: 'POST',
      path: `/v1/agents/${agent.json.id}/certificates`,
      key: admin,
      body: { scope: SCOPE },
    });
    return { id: agent.json.id as string, fingerprint: cert.json.fingerprint as string };
  }

  async function sign(agentId: string, fingerprint: string, score: number) {
    const signed = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/sign`,
      key: admin,
      headers: { 'User-Agent': 'kakunin-test/1.0' },
      body: {
        payload: { action: 'charge', amount: 9900, currency: 'EUR', score },
        certificateFingerprint: fingerprint,
      },
    });
    expect(signed.status).toBe(200);
    return signed.json;
  }

  /** What the Kinesis consumer would receive: the stream's records so far, in order. */
  async function drainStream() {
    const records = api.ports.stream.published.splice(0).map((action, i) => ({ sequenceNumber: String(i), action }));
    return consumer.consume(records);
  }

  it('accepts {envelope, origin}: the origin is audited and carried on the stream record', async () => {
    const { id, fingerprint } = await agentWithCertificate({ name: 'origin.agent' });
    const envelope = await sign(id, fingerprint, 0.1);
    const origin = { ip: '2001:db8::7', userAgent: 'gateway/2', region: 'eu-west-1' };
    const verified = await api.call({
      method: 'POST',
      path: '/v1/actions/verify',
      key: verifier,
      body: { envelope, origin },
    });
    expect(verified.status).toBe(200);
    const entry = api.ports.ledger.rawChain('t1').find((e) => e.id === verified.json.auditId);
    expect(entry).toMatchObject({ type: 'action.verified', origin });
    expect(api.ports.stream.published.at(-1)).toMatchObject({
      actionId: verifiedActionId('t1', fingerprint, envelope.nonce as string),
      origin,
    });
    // The sign route recorded the caller's own address and user agent.
    const signedEntry = api.ports.ledger.rawChain('t1').find((e) => e.type === 'action.signed');
    expect(signedEntry?.origin).toEqual({ ip: '203.0.113.7', userAgent: 'kakunin-test/1.0' });
  });

  it.each([
    [{ ip: '300.1.2.3' }, 'origin.ip'],
    [{ ip: '10.0.0.1', extra: 1 }, 'origin.extra'],
    [{ userAgent: 'x'.repeat(513) }, 'origin.userAgent'],
    [{ userAgent: 'evil\nINFO forged' }, 'origin.userAgent'],
    [{ region: 'eu west' }, 'origin.region'],
    ['10.0.0.1', 'origin'],
  ])('refuses a bad origin %j with 400 naming %s', async (origin, field) => {
    const { id, fingerprint } = await agentWithCertificate({ name: 'bad.origin' });
    const envelope = await sign(id, fingerprint, 0);
    const answer = await api.call({
      method: 'POST',
      path: '/v1/actions/verify',
      key: verifier,
      body: { envelope, origin },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'INVALID_REQUEST', field });
  });

  it('names envelope fields under envelope. in the wrapped form', async () => {
    const { id, fingerprint } = await agentWithCertificate({ name: 'wrapped.agent' });
    const envelope = await sign(id, fingerprint, 0);
    const answer = await api.call({
      method: 'POST',
      path: '/v1/actions/verify',
      key: verifier,
      body: { envelope: { ...envelope, nonce: 'short' } },
    });
    expect(answer.json.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'envelope.nonce' });
  });

  it('enforce: warns, then revokes for anomaly through the one revocation path (cascade, event, audit)', async () => {
    const { id, fingerprint } = await agentWithCertificate({ name: 'enforced', mode: 'enforce' });
    const child = await api.call({
      method: 'POST',
      path: '/v1/agents',
      key: admin,
      body: { name: 'child', mode: 'enforce' },
    });
    const childCert = await api.call({
      method: 'POST',
      path: `/v1/agents/${child.json.id}/certificates`,
      key: admin,
      body: { scope: SCOPE, parentFingerprint: fingerprint },
    });
    for (const score of [0.1, 0.8, 0.9]) {
      const envelope = await sign(id, fingerprint, score);
      expect(
        (await api.call({ method: 'POST', path: '/v1/actions/verify', key: verifier, body: envelope })).status,
      ).toBe(200);
    }
    const outcome = await drainStream();
    expect(outcome).toMatchObject({ warnings: 1, revocations: 1, failedSequenceNumbers: [] });

    const types = api.ports.events.published.map((e) => e.type);
    expect(types.filter((t) => t === 'agent.pre_revocation_warning')).toHaveLength(1);
    const revoked = api.ports.events.published.find((e) => e.type === 'agent.certificate_revoked');
    expect(revoked?.data).toMatchObject({
      agent_id: id,
      certificate_fingerprint: fingerprint,
      revocation_reason: 'anomaly',
      risk_score: 0.9,
      anomaly_start: expect.stringMatching(/^\d{4}-/),
    });
    const state = await api.call({ method: 'GET', path: `/v1/certificates/${fingerprint}`, key: admin });
    expect(state.json).toMatchObject({ status: 'revoked', revocationReason: 'anomaly' });
    const childState = await api.call({
      method: 'GET',
      path: `/v1/certificates/${childCert.json.fingerprint}`,
      key: admin,
    });
    expect(childState.json).toMatchObject({ valid: false, reason: 'parent_revoked' });
    const audit = api.ports.ledger.rawChain('t1').find((e) => e.type === 'certificate.revoked');
    expect(audit?.payload).toMatchObject({ reason: 'anomaly', by: MONITORING_ACTOR, riskScore: 0.9 });

    const risk = await api.call({ method: 'GET', path: `/v1/agents/${id}/risk`, key: admin });
    expect(risk.json).toMatchObject({ score: 0.9, band: 'critical' });
    const next = await api.call({
      method: 'POST',
      path: '/v1/actions/verify',
      key: verifier,
      body: await signElsewhere(id),
    });
    expect(next.json.error.code).toBe('RISK_THRESHOLD_EXCEEDED');
  });

  /** A second, unrevoked certificate of the same agent: only the risk check can refuse it. */
  async function signElsewhere(agentId: string) {
    const cert = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/certificates`,
      key: admin,
      body: { scope: SCOPE },
    });
    return sign(agentId, cert.json.fingerprint, 0.1);
  }

  it('observe: the same scores warn but never revoke and never refuse', async () => {
    const { id, fingerprint } = await agentWithCertificate({ name: 'observed', mode: 'observe' });
    for (const score of [0.1, 0.8, 0.99]) {
      await api.call({
        method: 'POST',
        path: '/v1/actions/verify',
        key: verifier,
        body: await sign(id, fingerprint, score),
      });
    }
    expect(await drainStream()).toMatchObject({ warnings: 1, revocations: 0 });
    const after = await api.call({
      method: 'POST',
      path: '/v1/actions/verify',
      key: verifier,
      body: await sign(id, fingerprint, 0),
    });
    expect(after.json).toMatchObject({ verified: true, riskScore: 0.99, riskBand: 'critical' });
  });
});
