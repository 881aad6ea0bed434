/**
 * Tenant ids and record ids are composed into keys with '#'. A tenant id (or an agent id / fingerprint) containing
 * the separator must never reach another tenant's items: 'x' + 'y#z' and 'x#y' + 'z' would be the same raw key.
 */
import { describe, expect, it } from 'vitest';
import { createDynamoStores } from '../../../src/adapters/aws/dynamo/index.js';
import { useEmulators } from '../support/emulators.js';
import { agentRecord, certificateRecord } from '../support/records.js';

const env = useEmulators();
const stores = () => createDynamoStores(env().doc, env().tableNames);
const unique = Math.random().toString(36).slice(2, 8);

describe('tenant isolation when ids contain the key separator', () => {
  it('an agent of tenant "x#y" with id "z" is invisible to tenant "x" asking for "y#z", and vice versa', async () => {
    const x = `x${unique}`;
    const xy = `${x}#y`;
    await stores().agents.create(agentRecord(xy, 'z'));
    expect(await stores().agents.get(x, 'y#z')).toBeUndefined();
    expect((await stores().agents.list(x, 10)).items).toEqual([]);
    await expect(stores().agents.update(x, 'y#z', { status: 'suspended' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await stores().agents.create(agentRecord(x, 'y#z'));
    expect((await stores().agents.get(xy, 'z'))?.tenantId).toBe(xy);
    expect((await stores().agents.get(x, 'y#z'))?.tenantId).toBe(x);
    expect((await stores().agents.list(xy, 10)).items.map((a) => a.id)).toEqual(['z']);
  });

  it('certificates, revocations, verification state and nonces stay within their tenant', async () => {
    const x = `c${unique}`;
    const xy = `${x}#CERT`;
    const cert = certificateRecord(xy, 'fp', { fingerprint: 'f', agentId: 'z' });
    await stores().certificates.put(cert);
    expect(await stores().certificates.get(x, 'CERT#f')).toBeUndefined();
    expect(await stores().certificates.getMany(x, ['CERT#f'])).toEqual([]);
    await expect(stores().certificates.revoke(x, 'CERT#f', 'superseded', 1)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await stores().certificates.get(xy, 'f'))?.status).toBe('active');
    const state = await stores().certificates.readVerificationState(x, { fingerprints: ['CERT#f'], agentIds: ['z'] });
    expect(state).toEqual({ certificates: [], agents: [] });
    expect(await stores().nonces.claim(xy, 'f', 'n', 1, 1_000)).toBe(true);
    expect(await stores().nonces.claim(x, 'CERT#f', 'n', 1, 1_000)).toBe(true);
    expect(await stores().nonces.claim(`${x}#CERT#f`, '', 'n', 1, 1_000)).toBe(true);
  });
});
