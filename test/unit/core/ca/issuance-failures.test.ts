/**
 * Issuance under failure: nothing is stored unless every step succeeded, and the audit hook runs before the store.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DependencyError, KakuninError } from '../../../../src/core/errors.js';
import type { CertificateRecord } from '../../../../src/core/model.js';
import { agent, createCa } from './ca-fixture.js';

const tenantId = 't1';
const env = createCa();

beforeAll(async () => {
  await env.ca.ensureTenant(tenantId);
});

describe('issuance failures leave nothing behind', () => {
  it('hands the checked record to beforeStore before the certificate is stored', async () => {
    const seen: { record: CertificateRecord; storedYet: boolean }[] = [];
    const { record } = await env.ca.issue({
      tenantId,
      agent: agent('a_hook0000000000000001'),
      scope: {},
      beforeStore: async (candidate) => {
        seen.push({
          record: candidate,
          storedYet: (await env.certificates.get(tenantId, candidate.fingerprint)) !== undefined,
        });
      },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.record.fingerprint).toBe(record.fingerprint);
    expect(seen[0]?.storedYet).toBe(false);
    expect(await env.certificates.get(tenantId, record.fingerprint)).toBeDefined();
  });

  it('stores nothing when the audit hook fails, and propagates its error', async () => {
    const subject = agent('a_hookfail00000000001');
    const failure = new DependencyError('ledger unavailable');
    const outcome = await env.ca
      .issue({ tenantId, agent: subject, scope: {}, beforeStore: () => Promise.reject(failure) })
      .catch((error: unknown) => error);
    expect(outcome).toBe(failure);
    expect(await env.certificates.listByAgent(tenantId, subject.id)).toEqual([]);
  });

  it('answers 503 and stores nothing when the vault cannot sign', async () => {
    const subject = agent('a_vaultfail0000000001');
    const original = env.vault.sign.bind(env.vault);
    env.vault.sign = () => Promise.reject(new DependencyError('key vault unavailable'));
    try {
      const outcome = await env.ca.issue({ tenantId, agent: subject, scope: {} }).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(KakuninError);
      expect((outcome as KakuninError).status).toBe(503);
    } finally {
      env.vault.sign = original;
    }
    expect(await env.certificates.listByAgent(tenantId, subject.id)).toEqual([]);
  });
});

describe('issuance maps every port failure to 503', () => {
  let portFailures = 0;

  it.each([
    [
      'vault.sign → NOT_FOUND',
      (e: typeof env) => vi.spyOn(e.vault, 'sign').mockRejectedValue(new KakuninError('NOT_FOUND', 'key not found')),
    ],
    [
      'vault.createKey → plain Error',
      (e: typeof env) => vi.spyOn(e.vault, 'createKey').mockRejectedValue(new Error('throttled')),
    ],
    [
      'vault.getPublicKey → INVALID_REQUEST',
      (e: typeof env) =>
        vi.spyOn(e.vault, 'getPublicKey').mockRejectedValue(new KakuninError('INVALID_REQUEST', 'bad')),
    ],
    [
      'certificates.put → CONFLICT',
      (e: typeof env) => vi.spyOn(e.certificates, 'put').mockRejectedValue(new KakuninError('CONFLICT', 'exists')),
    ],
  ])('%s → UNAVAILABLE, nothing stored', async (_name, fail) => {
    portFailures += 1;
    const subject = agent(`a_portfail${String(portFailures).padStart(12, '0')}`);
    const spy = fail(env);
    try {
      const outcome = await env.ca.issue({ tenantId, agent: subject, scope: {} }).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(DependencyError);
      expect((outcome as KakuninError).status).toBe(503);
      expect((outcome as KakuninError).code).toBe('UNAVAILABLE');
    } finally {
      spy.mockRestore();
    }
    expect(await env.certificates.listByAgent(tenantId, subject.id)).toEqual([]);
  });

  it('a parent lookup that fails is 503, not NOT_FOUND', async () => {
    const spy = vi.spyOn(env.certificates, 'get').mockRejectedValue(new KakuninError('NOT_FOUND', 'table missing'));
    try {
      const outcome = await env.ca
        .issue({
          tenantId,
          agent: agent('a_parentfail000000001'),
          scope: {},
          parentFingerprint: `sha256:${'a'.repeat(64)}`,
        })
        .catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(DependencyError);
    } finally {
      spy.mockRestore();
    }
  });
});
