/**
 * Issue 9's "other callers get 503", reproduced over real HTTP against `kakunin dev`: 40 parallel envelopes naming a
 * known fingerprint with junk signatures and ~62 KB payloads of backslashes (the text that expanded most in the old
 * block encoding), sent beside 20 correctly signed envelopes. Every good one must verify and every junk one must be
 * refused and audited: no request's content may make the shared ledger write of another request fail.
 */

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, client, str } from './api-client.js';
import { type DevProcess, newAdminKey, startDevProcess } from './dev-process.js';
import { scratchDir } from './openssl.js';

const dataDir = scratchDir('kakunin-it-flood-');
const adminKey = newAdminKey();
let dev: DevProcess;
let admin: Call;

beforeAll(async () => {
  dev = await startDevProcess({ dataDir, adminKey });
  admin = client(dev.url, adminKey);
});

afterAll(async () => {
  await dev?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ledger flood with worst-case payloads', () => {
  it('20 good envelopes among 40 junk ones with 62 KB backslash payloads: all good verify, none 503', async () => {
    const agent = await admin('POST', '/v1/agents', { name: 'flood-target' });
    const agentId = str(agent.body, 'id');
    const cert = await admin('POST', `/v1/agents/${agentId}/certificates`, { scope: {} });
    expect(cert.status).toBe(201);
    const fingerprint = str(cert.body, 'fingerprint');
    const good: unknown[] = [];
    for (let i = 0; i < 20; i += 1) {
      const signed = await admin('POST', `/v1/agents/${agentId}/sign`, {
        payload: { action: 'charge', n: i },
        certificateFingerprint: fingerprint,
      });
      expect(signed.status).toBe(200);
      good.push(signed.body);
    }
    const junk = Array.from({ length: 40 }, (_, i) => ({
      // 31,000 backslashes: 62,000 characters in the body, just under the 64 KiB cap with the rest of the envelope.
      payload: { action: 'charge', blob: `${'\\'.repeat(30_990)}"${i}` },
      certificateFingerprint: fingerprint,
      timestamp: Date.now(),
      nonce: randomBytes(16).toString('base64url'),
      signature: randomBytes(70).toString('base64'),
    }));
    for (const envelope of junk) expect(JSON.stringify(envelope).length).toBeGreaterThan(62_000);
    const requests = [
      ...junk.map((envelope) => ({ good: false, envelope })),
      ...good.map((envelope) => ({ good: true, envelope })),
    ].sort(() => Math.random() - 0.5);
    const answers = await Promise.all(
      requests.map(async (request) => ({
        ...request,
        answer: await admin('POST', '/v1/actions/verify', request.envelope),
      })),
    );
    const goodStatuses = answers.filter((a) => a.good).map((a) => a.answer.status);
    const junkCodes = answers
      .filter((a) => !a.good)
      .map((a) => (a.answer.body as { error?: { code?: string } }).error?.code);
    expect(goodStatuses).toEqual(Array(20).fill(200));
    expect(junkCodes).toEqual(Array(40).fill('SIGNATURE_INVALID'));
  });
});
