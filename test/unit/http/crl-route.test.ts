/**
 * Issue 9: an unauthenticated `GET /v1/crl` used to cost a KMS Sign each (and was served no-store). Now it serves the
 * published CRL with validators, answers 304 to a matching If-None-Match, and lists a revocation at once.
 */
import { X509Crl } from '@peculiar/x509';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApiWithAgent, type TestApi } from './harness.js';

describe('GET /v1/crl', () => {
  let api: TestApi;
  let admin: string;
  let agentId: string;

  beforeAll(async () => {
    ({ api, admin, agentId } = await createTestApiWithAgent('crl'));
  });

  const issue = async () => {
    const issued = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/certificates`,
      key: admin,
      body: { scope: {} },
    });
    expect(issued.status).toBe(201);
    return issued.json as { fingerprint: string; serialNumber: string };
  };
  const getCrl = (headers: Record<string, string> = {}) =>
    api.call({ method: 'GET', path: '/v1/crl', query: { tenant: 't1' }, headers });
  const serialsOf = (base64: string) =>
    new X509Crl(new Uint8Array(Buffer.from(base64, 'base64'))).entries.map((e) => e.serialNumber.toLowerCase());

  it('costs no signature per request, and carries validators valid until nextUpdate', async () => {
    await issue();
    const sign = vi.spyOn(api.ports.vault, 'sign');
    const first = await getCrl();
    expect(first.status).toBe(200);
    const signsAfterFirst = sign.mock.calls.length;
    expect(signsAfterFirst).toBeLessThanOrEqual(1);
    for (let i = 0; i < 25; i += 1) {
      const again = await getCrl();
      expect(again.status).toBe(200);
      expect(again.text).toBe(first.text);
    }
    expect(sign.mock.calls.length).toBe(signsAfterFirst);
    const crl = new X509Crl(new Uint8Array(Buffer.from(first.text, 'base64')));
    expect(first.headers['content-type']).toBe('application/pkix-crl');
    expect(first.headers.expires).toBe(crl.nextUpdate?.toUTCString());
    expect(first.headers['last-modified']).toBe(crl.thisUpdate.toUTCString());
    expect(first.headers['cache-control']).toBe('public, no-cache');
    expect(first.headers.etag).toMatch(/^"crl-\d+"$/);
    const notModified = await getCrl({ 'if-none-match': first.headers.etag as string });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    sign.mockRestore();
  });

  it('lists a revocation in the very next response', async () => {
    const before = await getCrl();
    const certificate = await issue();
    const revoked = await api.call({
      method: 'POST',
      path: `/v1/certificates/${certificate.fingerprint}/revoke`,
      key: admin,
      body: { reason: 'keyCompromise' },
    });
    expect(revoked.status).toBe(200);
    const after = await getCrl({ 'if-none-match': before.headers.etag as string });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(serialsOf(after.text)).toContain(certificate.serialNumber.toLowerCase());
  });
});
