/**
 * verifyWebhook: the Standard Webhooks known-answer vector and its must-reject / must-accept cases, then the typed
 * §5 events (a delivery whose body is not a Kakunin event is refused even when correctly signed).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KakuninError, verifyWebhook } from '../../packages/sdk/src/index.js';

const kat = JSON.parse(
  readFileSync(new URL('../fixtures/vectors/standard-webhooks/kat.json', import.meta.url), 'utf8'),
) as {
  known_answer: {
    secret: string;
    msg_id: string;
    timestamp: number;
    payload: string;
    expected_signature_header: string;
  }[];
};
const [vector] = kat.known_answer;
if (vector === undefined) throw new Error('fixture has no known answer');

const sign = (secret: string, id: string, timestamp: number, body: string) =>
  `v1,${createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64')}`;

afterEach(() => vi.useRealTimers());

describe('verifyWebhook: Standard Webhooks vectors', () => {
  it('the known answer: our HMAC equals the published header, and the library accepts it (then the event check refuses a non-Kakunin body)', () => {
    expect(sign(vector.secret, vector.msg_id, vector.timestamp, vector.payload)).toBe(vector.expected_signature_header);
    vi.useFakeTimers({ now: vector.timestamp * 1000 });
    const headers = {
      'webhook-id': vector.msg_id,
      'webhook-timestamp': String(vector.timestamp),
      'webhook-signature': vector.expected_signature_header,
    };
    // Signature and timestamp pass; `{"test": …}` is not a §5 event, so the answer is a refusal naming the shape.
    expect(() => verifyWebhook(vector.secret, headers, vector.payload)).toThrow(/not a Kakunin event/);
    expect(() =>
      verifyWebhook(
        vector.secret,
        { ...headers, 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OF=' },
        vector.payload,
      ),
    ).toThrow(/webhook rejected/);
  });
});

describe('verifyWebhook: Kakunin events', () => {
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const now = Date.UTC(2026, 10, 30, 9, 0, 0);
  const event = {
    id: 'evt_0001',
    type: 'agent.certificate_revoked',
    createdAt: '2026-11-30T09:00:00.000Z',
    data: {
      agent_id: 'a_0123456789abcdefgh',
      certificate_fingerprint: `sha256:${'d'.repeat(64)}`,
      revocation_reason: 'anomaly',
      revoked_at: '2026-11-30T09:00:00.000Z',
      risk_score: 0.91,
    },
  };
  const body = JSON.stringify(event);
  const deliver = (overrides: Record<string, string | undefined> = {}, payload = body, at = now) => ({
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(Math.floor(at / 1000)),
    'webhook-signature': sign(secret, 'msg_1', Math.floor(at / 1000), payload),
    ...overrides,
  });

  it('returns the typed event for a good delivery (headers as a record, as Headers, and a Buffer body)', () => {
    vi.useFakeTimers({ now });
    const parsed = verifyWebhook(secret, deliver(), body);
    expect(parsed).toEqual(event);
    if (parsed.type === 'agent.certificate_revoked') expect(parsed.data.revocation_reason).toBe('anomaly');
    expect(verifyWebhook(secret, new Headers(deliver() as Record<string, string>), Buffer.from(body))).toEqual(event);
    // Node's IncomingHttpHeaders may carry other headers and mixed case.
    expect(verifyWebhook(secret.replace('whsec_', ''), { ...deliver(), Host: 'x' }, body)).toEqual(event);
  });

  it('accepts a multi-signature header where one entry is valid', () => {
    vi.useFakeTimers({ now });
    const good = deliver()['webhook-signature'];
    const header = `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${good}`;
    expect(verifyWebhook(secret, deliver({ 'webhook-signature': header }), body)).toEqual(event);
  });

  const rejects: [string, Record<string, string | undefined>, string?, number?][] = [
    ['missing webhook-id', { 'webhook-id': undefined }],
    ['missing webhook-timestamp', { 'webhook-timestamp': undefined }],
    ['missing webhook-signature', { 'webhook-signature': undefined }],
    ['non-integer timestamp', { 'webhook-timestamp': 'hello' }],
    ['garbage signature', { 'webhook-signature': 'v1,dawfeoifkpqwoekfpqoekf' }],
    ['empty signature', { 'webhook-signature': 'v1,' }],
    ['truncated signature', { 'webhook-signature': 'v1,abcdef' }],
    ['a body changed after signing', {}, body.replace('anomaly', 'superseded')],
    ['a timestamp 5 min + 1 s old', {}, undefined, now - 301_000],
    ['a timestamp 5 min + 1 s ahead', {}, undefined, now + 301_000],
  ];
  for (const [name, overrides, payload, at] of rejects) {
    it(`rejects ${name}`, () => {
      vi.useFakeTimers({ now });
      const headers = deliver(overrides, payload === undefined ? body : body, at);
      const error = (() => {
        try {
          verifyWebhook(secret, headers, payload ?? body);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(KakuninError);
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
    });
  }

  it('refuses an empty secret and a correctly signed body that is not a §5 event', () => {
    vi.useFakeTimers({ now });
    expect(() => verifyWebhook('whsec_', deliver(), body)).toThrow(TypeError);
    const wrongShape = JSON.stringify({ ...event, data: { agent_id: 'a_x' } });
    expect(() => verifyWebhook(secret, deliver({}, wrongShape), wrongShape)).toThrow(/not a Kakunin event/);
  });
});
