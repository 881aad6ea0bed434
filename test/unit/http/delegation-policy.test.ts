/**
 * Delegation binds the whole tree (docs/api.md §3) at the management routes: a suspended agent's key, or the key of
 * an agent below a suspended one, can neither sign, create sub-agents nor issue certificates (403 AGENT_SUSPENDED),
 * and sub-agents are monitored at least as strictly as their parents (403 SCOPE_EXCEEDS_PARENT).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from './harness.js';

const TENANT = 't1';
const scope = { allowedActions: ['charge'], maxTransactionSize: 100 };

describe('suspension cascades to the agent key and the subtree', () => {
  let api: TestApi;
  let admin: string;
  let root: string;
  let rootKey: string;
  let rootCert: string;
  let child: string;
  let childKey: string;
  let childCert: string;

  beforeEach(async () => {
    api = await createTestApi();
    admin = await api.key(TENANT, 'admin');
    root = (await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'root' } })).json.id;
    rootCert = (
      await api.call({ method: 'POST', path: `/v1/agents/${root}/certificates`, key: admin, body: { scope } })
    ).json.fingerprint;
    rootKey = await api.key(TENANT, 'agent', root);
    child = (await api.call({ method: 'POST', path: '/v1/agents', key: rootKey, body: { name: 'child' } })).json.id;
    const issued = await api.call({
      method: 'POST',
      path: `/v1/agents/${child}/certificates`,
      key: rootKey,
      body: { scope, parentFingerprint: rootCert },
    });
    expect(issued.status).toBe(201);
    childCert = issued.json.fingerprint;
    childKey = await api.key(TENANT, 'agent', child);
  });

  const suspend = (id: string, status: 'suspended' | 'active' = 'suspended') =>
    api.call({ method: 'PATCH', path: `/v1/agents/${id}`, key: admin, body: { status } });
  const sign = (key: string, id: string, fingerprint: string) =>
    api.call({
      method: 'POST',
      path: `/v1/agents/${id}/sign`,
      key,
      body: { payload: { action: 'charge', amount: 1, currency: 'EUR' }, certificateFingerprint: fingerprint },
    });

  it('a suspended agent key cannot sign, create a sub-agent or issue (and reactivation restores it)', async () => {
    expect((await suspend(root)).status).toBe(200);
    const signed = await sign(rootKey, root, rootCert);
    expect([signed.status, signed.json.error.code]).toEqual([403, 'AGENT_SUSPENDED']);
    const spawned = await api.call({ method: 'POST', path: '/v1/agents', key: rootKey, body: { name: 'c2' } });
    expect([spawned.status, spawned.json.error.code]).toEqual([403, 'AGENT_SUSPENDED']);
    const issued = await api.call({
      method: 'POST',
      path: `/v1/agents/${child}/certificates`,
      key: rootKey,
      body: { scope, parentFingerprint: rootCert },
    });
    expect([issued.status, issued.json.error.code]).toEqual([403, 'AGENT_SUSPENDED']);
    // The admin cannot sign for it either: the envelope could never verify.
    expect((await sign(admin, root, rootCert)).json.error.code).toBe('AGENT_SUSPENDED');

    await suspend(root, 'active');
    expect((await sign(rootKey, root, rootCert)).status).toBe(200);
  });

  it('a sub-agent below a suspended ancestor is refused too, on every route that puts it to work', async () => {
    await suspend(root);
    const signed = await sign(childKey, child, childCert);
    expect([signed.status, signed.json.error.code]).toEqual([403, 'AGENT_SUSPENDED']);
    expect(signed.json.error.message).toContain(root);
    const spawned = await api.call({ method: 'POST', path: '/v1/agents', key: childKey, body: { name: 'gc' } });
    expect(spawned.json.error.code).toBe('AGENT_SUSPENDED');
    const issuedByAdmin = await api.call({
      method: 'POST',
      path: `/v1/agents/${child}/certificates`,
      key: admin,
      body: { scope },
    });
    expect(issuedByAdmin.json.error.code).toBe('AGENT_SUSPENDED');
  });

  it('nothing is audited for a refused request', async () => {
    await suspend(root);
    const before = api.ports.ledger.rawChain(TENANT).length;
    await sign(rootKey, root, rootCert);
    await api.call({ method: 'POST', path: '/v1/agents', key: rootKey, body: { name: 'c3' } });
    expect(api.ports.ledger.rawChain(TENANT).length).toBe(before);
  });
});

describe('monitoring settings no looser than the parent', () => {
  let api: TestApi;
  let admin: string;
  let parent: string;
  let parentKey: string;

  beforeEach(async () => {
    api = await createTestApi();
    admin = await api.key(TENANT, 'admin');
    parent = (
      await api.call({
        method: 'POST',
        path: '/v1/agents',
        key: admin,
        body: { name: 'parent', mode: 'enforce', warningThreshold: 0.5, anomalyThreshold: 0.7 },
      })
    ).json.id;
    parentKey = await api.key(TENANT, 'agent', parent);
  });

  const spawn = (body: Record<string, unknown>) =>
    api.call({ method: 'POST', path: '/v1/agents', key: parentKey, body: { name: 'kid', ...body } });

  it.each([
    [{ mode: 'observe' }, 'mode'],
    [{ warningThreshold: 0.6 }, 'warningThreshold'],
    [{ anomalyThreshold: 1 }, 'anomalyThreshold'],
  ])('refuses a sub-agent created with %o (field %s)', async (settings, field) => {
    const created = await spawn(settings);
    expect(created.status).toBe(403);
    expect(created.json.error).toMatchObject({ code: 'SCOPE_EXCEEDS_PARENT', field });
  });

  it('gives a sub-agent that names no settings the parent’s stricter ones, and accepts stricter ones', async () => {
    const inherited = await spawn({});
    expect(inherited.status).toBe(201);
    expect(inherited.json).toMatchObject({ mode: 'enforce', warningThreshold: 0.5, anomalyThreshold: 0.7 });
    const stricter = await spawn({ warningThreshold: 0.1, anomalyThreshold: 0.2 });
    expect(stricter.status).toBe(201);
    expect(stricter.json).toMatchObject({ mode: 'enforce', warningThreshold: 0.1, anomalyThreshold: 0.2 });
  });

  it('refuses a PATCH that would make a sub-agent looser than its parent, allows one within it', async () => {
    const kid = (await spawn({})).json.id;
    const looser = await api.call({
      method: 'PATCH',
      path: `/v1/agents/${kid}`,
      key: admin,
      body: { anomalyThreshold: 0.9 },
    });
    expect(looser.status).toBe(403);
    expect(looser.json.error).toMatchObject({ code: 'SCOPE_EXCEEDS_PARENT', field: 'anomalyThreshold' });
    const observe = await api.call({
      method: 'PATCH',
      path: `/v1/agents/${kid}`,
      key: admin,
      body: { mode: 'observe' },
    });
    expect(observe.json.error.code).toBe('SCOPE_EXCEEDS_PARENT');
    const within = await api.call({
      method: 'PATCH',
      path: `/v1/agents/${kid}`,
      key: admin,
      body: { anomalyThreshold: 0.6 },
    });
    expect(within.status).toBe(200);
    // A top-level agent has no parent to be held to.
    const top = await api.call({
      method: 'PATCH',
      path: `/v1/agents/${parent}`,
      key: admin,
      body: { mode: 'observe' },
    });
    expect(top.status).toBe(200);
  });
});
