import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../src/http/observability.js';
import { createTestApi, type TestApi } from './harness.js';

/** Captures everything written to stdout and stderr (Powertools logs and EMF metrics go there). */
function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const grab = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab);
  const restore = () => {
    out.mockRestore();
    err.mockRestore();
  };
  return { text: () => chunks.join(''), restore };
}

describe('logs never contain secrets', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await createTestApi();
    admin = await api.key('t1', 'admin');
  });
  afterEach(() => logger.setLogLevel('WARN'));

  it('logs an api-key, issue, sign and verify request without keys, signatures, PEMs or bodies', async () => {
    logger.setLogLevel('DEBUG');
    const capture = captureOutput();
    const secrets: string[] = [admin];
    try {
      const apiKey = await api.call({ method: 'POST', path: '/v1/api-keys', key: admin, body: { role: 'verifier' } });
      secrets.push(apiKey.json.key);
      const agent = await api.call({
        method: 'POST',
        path: '/v1/agents',
        key: admin,
        body: { name: 'quiet', metadata: { secretNote: 'do-not-log-me' } },
      });
      secrets.push('do-not-log-me');
      const issued = await api.call({
        method: 'POST',
        path: `/v1/agents/${agent.json.id}/certificates`,
        key: admin,
        body: { scope: {} },
      });
      secrets.push(issued.json.pem.split('\n')[1], issued.json.keyRef);
      const signed = await api.call({
        method: 'POST',
        path: `/v1/agents/${agent.json.id}/sign`,
        key: admin,
        body: {
          payload: { action: 'transfer', memo: 'payload-must-not-appear' },
          certificateFingerprint: issued.json.fingerprint,
        },
      });
      expect(signed.status).toBe(200);
      secrets.push(signed.json.signature, signed.json.nonce, 'payload-must-not-appear');
      const verified = await api.call({
        method: 'POST',
        path: '/v1/actions/verify',
        key: apiKey.json.key,
        body: signed.json,
      });
      expect(verified.status).toBe(200);
      await api.call({
        method: 'POST',
        path: '/v1/actions/verify',
        key: apiKey.json.key,
        body: { ...signed.json, signature: 'AAAA' },
      });
    } finally {
      capture.restore();
    }
    const output = capture.text();
    expect(output).toContain('"route":"/v1/actions/verify"');
    expect(output).toContain('"status":201');
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toContain('BEGIN');
    expect(output).not.toMatch(/kk_[A-Za-z0-9_-]{43}/);
  });
});
