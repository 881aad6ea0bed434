/**
 * ToolGuard with an OfflineVerifier: no verification round trip (the guard has no client at all), the certificate read
 * from certificatePath is handed to the verifier, scope and revocation (through the CRL) refuse as online, and what
 * offline cannot check is not claimed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { KakuninError, OfflineVerifier, ToolGuard } from '../../packages/sdk/src/index.js';
import {
  auditedVerifications,
  type GuardedAgent,
  guardedAgent,
  localCertificate,
  OVERSIZED_CHARGE,
  offlineVerifierFor,
  PERMITTED_CHARGE,
} from './support/guarded-agent.js';

let agent: GuardedAgent;
beforeEach(async () => {
  agent = await guardedAgent('offline-guard');
});

async function offlineGuard() {
  const local = await localCertificate(agent);
  const dir = mkdtempSync(join(tmpdir(), 'kakunin-offline-guard-'));
  writeFileSync(join(dir, 'cert.pem'), local.cert.pem);
  const logs: unknown[] = [];
  const make = async () =>
    new ToolGuard({
      agentId: agent.agentId,
      certificatePath: join(dir, 'cert.pem'),
      signer: local.signer,
      clock: local.clock,
      // It does not know the certificate in advance: the guard hands it the one read from certificatePath.
      verifier: await offlineVerifierFor(agent),
      baseUrl: 'http://no-service.invalid',
      logger: (entry) => logs.push(entry),
    });
  return { local, make, logs };
}

describe('ToolGuard with an OfflineVerifier', () => {
  it('runs a permitted call and refuses an oversized one without calling the service', async () => {
    const { make } = await offlineGuard();
    const tool = vi.fn(async (params: { amount: number }) => params.amount);
    const charge = (await make()).wrap('charge', tool);
    await expect(charge(PERMITTED_CHARGE)).resolves.toBe(50);
    const error = await charge(OVERSIZED_CHARGE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KakuninError);
    expect(error).toMatchObject({ code: 'SCOPE_VIOLATION', status: 403, field: expect.stringMatching(/amount/) });
    expect(tool).toHaveBeenCalledOnce();
    expect(await auditedVerifications(agent)).toEqual([]); // nothing went to the service
  });

  it('refuses under a certificate revoked since, once the verifier has read the new CRL', async () => {
    const { local, make } = await offlineGuard();
    await agent.client.certificates.revoke(local.cert.fingerprint, 'keyCompromise');
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    const error = await (await make())
      .wrap(
        'charge',
        tool,
      )(PERMITTED_CHARGE)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CERTIFICATE_REVOKED' });
    expect(tool).not.toHaveBeenCalled();
  });

  it('fails closed when the CRL cannot be had (REVOCATION_STATUS_UNKNOWN), even with fail-open', async () => {
    const local = await localCertificate(agent);
    const chainPem = await agent.client.ca.chain('t1');
    const noCrl = new OfflineVerifier({
      rootPem: `${chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.at(-1)}\n`,
      chainPem,
      crl: async () => {
        throw new Error('CRL endpoint down');
      },
      certificates: [local.cert.pem],
      clock: local.clock,
    });
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    const guard = new ToolGuard({
      agentId: agent.agentId,
      certificateFingerprint: local.cert.fingerprint,
      signer: local.signer,
      clock: local.clock,
      verifier: noCrl,
      onUnavailable: 'fail-open',
      logger: false,
    });
    const error = await guard
      .wrap(
        'charge',
        tool,
      )(PERMITTED_CHARGE)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REVOCATION_STATUS_UNKNOWN' });
    expect(tool).not.toHaveBeenCalled();
  });
});
