/**
 * Issue 9: an issuance with a service-held key creates the key first (KMS CreateKey), then signs, audits and stores.
 * A failure after the key exists used to leave it behind: an orphaned KMS key that costs every month and can sign.
 * Every failure path now schedules its deletion; a CSR issuance creates no key and deletes nothing.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DependencyError, KakuninError } from '../../../../src/core/errors.js';
import { agent, createCa, makeCsr } from './ca-fixture.js';

const tenantId = 't1';
const env = createCa();
let caKeys: string[];

beforeAll(async () => {
  await env.ca.ensureTenant(tenantId);
  caKeys = env.vault.keyIds();
});

/** Agent keys the vault still holds (the CA's own keys excluded). */
const agentKeys = () => env.vault.keyIds().filter((id) => !caKeys.includes(id));

describe('a failed issuance deletes the key it created', () => {
  it.each([
    [
      'the public key read',
      () => vi.spyOn(env.vault, 'getPublicKey').mockRejectedValueOnce(new DependencyError('kms down')),
    ],
    ['the certificate signature', () => vi.spyOn(env.vault, 'sign').mockRejectedValueOnce(new Error('throttled'))],
    ['the certificate store', () => vi.spyOn(env.certificates, 'put').mockRejectedValueOnce(new Error('table down'))],
  ])('when %s fails', async (_step, breakIt) => {
    const spy = breakIt();
    const deletion = vi.spyOn(env.vault, 'scheduleDeletion');
    const outcome = await env.ca
      .issue({ tenantId, agent: agent(`a_orphan${Math.random().toString(36).slice(2, 14)}`), scope: {} })
      .catch((error: unknown) => error);
    spy.mockRestore();
    expect(outcome).toBeInstanceOf(KakuninError);
    expect(deletion).toHaveBeenCalledTimes(1);
    deletion.mockRestore();
    expect(agentKeys()).toEqual([]);
  });

  it('when the audit hook (ledger append) fails, with the hook’s own error', async () => {
    const failure = new DependencyError('ledger unavailable');
    const outcome = await env.ca
      .issue({ tenantId, agent: agent('a_orphanaudit000001'), scope: {}, beforeStore: () => Promise.reject(failure) })
      .catch((error: unknown) => error);
    expect(outcome).toBe(failure);
    expect(agentKeys()).toEqual([]);
  });

  it('still answers with the original failure when the deletion itself fails', async () => {
    const put = vi.spyOn(env.certificates, 'put').mockRejectedValueOnce(new Error('table down'));
    const deletion = vi.spyOn(env.vault, 'scheduleDeletion').mockRejectedValueOnce(new Error('kms down too'));
    const outcome = await env.ca
      .issue({ tenantId, agent: agent('a_orphandouble00001'), scope: {} })
      .catch((error: unknown) => error);
    put.mockRestore();
    deletion.mockRestore();
    expect(outcome).toBeInstanceOf(KakuninError);
    expect((outcome as KakuninError).code).toBe('UNAVAILABLE');
    // The one key left behind is the one whose deletion failed (reported in docs/key-vault.md, "Orphaned keys").
    expect(agentKeys()).toHaveLength(1);
    for (const id of agentKeys()) await env.vault.scheduleDeletion(id);
  });

  it('keeps the key of a successful issuance, and never deletes anything for a CSR issuance', async () => {
    const deletion = vi.spyOn(env.vault, 'scheduleDeletion');
    const issued = await env.ca.issue({ tenantId, agent: agent('a_orphankept000001'), scope: {} });
    expect(agentKeys()).toEqual([issued.record.keyRef]);
    const { pem: csrPem } = await makeCsr('p256', 'csr-agent');
    const put = vi.spyOn(env.certificates, 'put').mockRejectedValueOnce(new Error('table down'));
    await env.ca.issue({ tenantId, agent: agent('a_orphancsr0000001'), scope: {}, csrPem }).catch(() => undefined);
    put.mockRestore();
    expect(deletion).not.toHaveBeenCalled();
    deletion.mockRestore();
  });
});
