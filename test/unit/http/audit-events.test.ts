/**
 * Every security-relevant event is an audit entry (docs/api.md §7): keys minted, agents suspended, reactivated and
 * reconfigured, certificates revoked manually and by cascade (one entry per certificate below), and verifications
 * with the origin the verifier reported.
 */
import { describe, expect, it } from 'vitest';
import { createTestApi } from './harness.js';

const SCOPE = { maxTransactionSize: 100, allowedActions: ['pay'] };

describe('audit entries for security events', () => {
  it('key.minted, agent.suspended / reactivated / settings_changed, certificate.revoked manual and cascade, origin', async () => {
    const api = await createTestApi();
    const admin = await api.key('t1', 'admin');
    const call = (method: string, path: string, body?: unknown) =>
      api.call({ method, path, key: admin, ...(body === undefined ? {} : { body }) });
    const parent = (await call('POST', '/v1/agents', { name: 'parent' })).json.id as string;
    const child = (await call('POST', '/v1/agents', { name: 'child' })).json.id as string;
    const parentCert = (await call('POST', `/v1/agents/${parent}/certificates`, { scope: SCOPE })).json;
    const childCert = (
      await call('POST', `/v1/agents/${child}/certificates`, {
        scope: SCOPE,
        parentFingerprint: parentCert.fingerprint,
      })
    ).json;
    expect((await call('PATCH', `/v1/agents/${child}`, { status: 'suspended' })).status).toBe(200);
    expect((await call('PATCH', `/v1/agents/${child}`, { status: 'active' })).status).toBe(200);
    expect((await call('PATCH', `/v1/agents/${child}`, { mode: 'enforce' })).status).toBe(200);

    const signed = (
      await call('POST', `/v1/agents/${parent}/sign`, {
        payload: { action: 'pay', amount: 5, currency: 'EUR' },
        certificateFingerprint: parentCert.fingerprint,
      })
    ).json;
    const origin = { ip: '203.0.113.7', userAgent: 'gateway/1.0', region: 'eu-west-1' };
    const verified = await call('POST', '/v1/actions/verify', { envelope: signed, origin });
    expect(verified.status, verified.text).toBe(200);
    const badOrigin = await call('POST', '/v1/actions/verify', { envelope: signed, origin: { asn: 1 } });
    expect(badOrigin.status).toBe(400);
    expect(
      (await call('POST', `/v1/certificates/${parentCert.fingerprint}/revoke`, { reason: 'keyCompromise' })).status,
    ).toBe(200);

    const entries = api.ports.ledger.rawChain('t1');
    const of = (type: string) => entries.filter((e) => e.type === type);
    expect(of('key.minted').map((e) => e.certificateFingerprint)).toEqual([
      parentCert.fingerprint,
      childCert.fingerprint,
    ]);
    expect(of('key.minted')[0]?.payload).toMatchObject({ keyRef: expect.any(String), keySpec: 'ECC_NIST_P256' });
    expect(of('agent.suspended').map((e) => e.actorId)).toEqual([child]);
    expect(of('agent.reactivated').map((e) => e.actorId)).toEqual([child]);
    expect(of('agent.settings_changed')[0]?.payload).toMatchObject({ fields: ['mode'], mode: 'enforce' });
    expect(of('action.verified').at(-1)).toMatchObject({ origin });
    const revoked = of('certificate.revoked');
    expect(revoked.map((e) => [e.certificateFingerprint, (e.payload as { trigger: string }).trigger])).toEqual([
      [parentCert.fingerprint, 'manual'],
      [childCert.fingerprint, 'cascade'],
    ]);
    expect(revoked[1]?.payload).toMatchObject({ reason: 'parent_revoked', cause: parentCert.fingerprint });
    expect(await api.ports.ledger.verify('t1')).toMatchObject({ valid: true });
  });
});
