/**
 * What a client sees when a dependency fails half-way (docs/api.md, "Failure semantics"): audit before effect for
 * agents, keys, issuance and signing; revocation takes effect even when the ledger is down and a retry completes
 * its audit entry; a refused event never turns a done effect into a 503.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApiWithAgent, type TestApi } from './harness.js';

describe('failure semantics', () => {
  let api: TestApi;
  let admin: string;
  let agentId: string;
  beforeAll(async () => {
    ({ api, admin, agentId } = await createTestApiWithAgent('failures'));
  });

  const issue = () =>
    api.call({ method: 'POST', path: `/v1/agents/${agentId}/certificates`, key: admin, body: { scope: {} } });

  it('creates no agent when the ledger refuses its audit entry', async () => {
    const before = (await api.ctx.agents.list('t1', 100)).items.length;
    api.ports.ledger.failNextAppend = true;
    const answer = await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'unaudited' } });
    expect(answer.status).toBe(503);
    expect(answer.json.error.code).toBe('UNAVAILABLE');
    expect((await api.ctx.agents.list('t1', 100)).items.length).toBe(before);
  });

  it('stores no certificate when the ledger refuses the issuance entry', async () => {
    api.ports.ledger.failNextAppend = true;
    const answer = await issue();
    expect(answer.status).toBe(503);
    expect(await api.ctx.certificates.listByAgent('t1', agentId)).toEqual([]);
    expect(api.ports.events.published.filter((e) => e.type === 'certificate.issued')).toEqual([]);
  });

  it('answers 201 when only the event bus fails, and the certificate is stored and audited', async () => {
    const publish = api.ports.events.publish.bind(api.ports.events);
    api.ports.events.publish = () => Promise.reject(new Error('bus down'));
    try {
      const answer = await issue();
      expect(answer.status).toBe(201);
      const fingerprint = answer.json.fingerprint as string;
      expect(await api.ctx.certificates.get('t1', fingerprint)).toBeDefined();
      const audited = api.ports.ledger.rawChain('t1').filter((e) => e.certificateFingerprint === fingerprint);
      expect(audited.map((e) => e.type)).toEqual(['key.minted', 'certificate.issued']);
    } finally {
      api.ports.events.publish = publish;
    }
  });

  it('revokes even when the ledger is down, and the retry writes the audit entry and the event', async () => {
    const issued = await issue();
    const fingerprint = issued.json.fingerprint as string;
    const revoke = () =>
      api.call({
        method: 'POST',
        path: `/v1/certificates/${fingerprint}/revoke`,
        key: admin,
        body: { reason: 'keyCompromise' },
      });
    api.ports.ledger.failNextAppend = true;
    expect((await revoke()).status).toBe(503);
    // Fail safe: the compromised certificate is already refused.
    expect((await api.ctx.certificates.get('t1', fingerprint))?.status).toBe('revoked');
    const retry = await revoke();
    expect(retry.status).toBe(200);
    const entries = api.ports.ledger.rawChain('t1').filter((e) => e.certificateFingerprint === fingerprint);
    expect(entries.map((e) => e.type)).toEqual(['key.minted', 'certificate.issued', 'certificate.revoked']);
    const events = api.ports.events.published.filter(
      (e) => e.type === 'agent.certificate_revoked' && e.data.certificate_fingerprint === fingerprint,
    );
    expect(events).toHaveLength(1);
  });

  it('hands out no signed envelope when the ledger refuses to audit it', async () => {
    const issued = await issue();
    api.ports.ledger.failNextAppend = true;
    const answer = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/sign`,
      key: admin,
      body: { payload: { action: 'charge' }, certificateFingerprint: issued.json.fingerprint },
    });
    expect(answer.status).toBe(503);
    expect(answer.json.signature).toBeUndefined();
  });
});
