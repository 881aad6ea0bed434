/**
 * A CRL is a snapshot: thisUpdate and the CRL number are fixed before the revocations are read, so a CRL never
 * claims to be current as of a moment after its read, and a higher-numbered CRL never started its read earlier.
 */
import { X509Crl } from '@peculiar/x509';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { KakuninError } from '../../../../src/core/errors.js';
import { createCa, SettableClock, T0 } from './ca-fixture.js';

const tenantId = 't1';
const clock = new SettableClock(T0);
const env = createCa(clock);

beforeAll(async () => {
  await env.ca.ensureTenant(tenantId);
});

describe('CRL snapshot order', () => {
  it('takes thisUpdate and the CRL number before reading the revocations', async () => {
    const calls: string[] = [];
    const nextCrlNumber = env.caStore.nextCrlNumber.bind(env.caStore);
    const listRevoked = env.certificates.listRevoked.bind(env.certificates);
    const numberSpy = vi.spyOn(env.caStore, 'nextCrlNumber').mockImplementation(async (tenant) => {
      calls.push('number');
      return nextCrlNumber(tenant);
    });
    const readSpy = vi.spyOn(env.certificates, 'listRevoked').mockImplementation(async (tenant) => {
      calls.push('read');
      clock.current += 5_000; // a slow read: revocations may land meanwhile
      return listRevoked(tenant);
    });
    try {
      const before = clock.current;
      const crl = new X509Crl(new Uint8Array(await env.ca.crl(tenantId)));
      expect(calls).toEqual(['number', 'read']);
      expect(crl.thisUpdate.getTime()).toBe(Math.floor(before / 1000) * 1000);
    } finally {
      numberSpy.mockRestore();
      readSpy.mockRestore();
    }
  });

  it.each([0n, -1n, BigInt(Number.MAX_SAFE_INTEGER) + 1n])('refuses CRL number %s from the store (503)', async (n) => {
    const spy = vi.spyOn(env.caStore, 'nextCrlNumber').mockResolvedValue(n);
    try {
      const outcome = await env.ca.crl(tenantId).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(KakuninError);
      expect((outcome as KakuninError).code).toBe('UNAVAILABLE');
    } finally {
      spy.mockRestore();
    }
  });
});
