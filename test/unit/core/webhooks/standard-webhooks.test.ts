/**
 * Delivery signing against the Standard Webhooks known-answer vector (test/fixtures/vectors/standard-webhooks), and a
 * round trip through the package's own verifier, which is what a receiver (or `@kakunin/sdk` `verifyWebhook`) runs.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { KakuninEvent } from '../../../../src/core/model.js';
import { signDelivery, webhookBody } from '../../../../src/core/webhooks/webhook-dispatcher.js';

interface Kat {
  known_answer: {
    secret: string;
    msg_id: string;
    timestamp: number;
    payload: string;
    expected_signature_header: string;
  }[];
}
const kat = JSON.parse(
  readFileSync(new URL('../../../fixtures/vectors/standard-webhooks/kat.json', import.meta.url), 'utf8'),
) as Kat;

describe('Standard Webhooks signing', () => {
  it.each(kat.known_answer)('reproduces the known answer for $msg_id', (vector) => {
    const headers = signDelivery(vector.secret, vector.msg_id, vector.payload, vector.timestamp * 1000);
    expect(headers['webhook-signature']).toBe(vector.expected_signature_header);
    expect(headers['webhook-id']).toBe(vector.msg_id);
    expect(headers['webhook-timestamp']).toBe(String(vector.timestamp));
  });

  it('is the HMAC-SHA256 of id.timestamp.body keyed with the base64-decoded secret (contract §5)', () => {
    const [vector] = kat.known_answer;
    const key = Buffer.from(vector!.secret.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key)
      .update(`${vector!.msg_id}.${vector!.timestamp}.${vector!.payload}`)
      .digest('base64');
    expect(`v1,${mac}`).toBe(vector!.expected_signature_header);
  });

  it('produces deliveries the package verifier accepts, and rejects when the body is changed', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const event: KakuninEvent = {
      id: 'evt_0123456789abcdef01234567',
      type: 'agent.pre_revocation_warning',
      createdAt: new Date().toISOString(),
      tenantId: 'never-sent',
      data: { agent_id: 'a_x', risk_score: 0.8 },
    };
    const body = webhookBody(event);
    expect(JSON.parse(body)).not.toHaveProperty('tenantId');
    const headers = signDelivery(secret, event.id, body, Date.now());
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ id: event.id, type: event.type });
    expect(() => new Webhook(secret).verify(body.replace('0.8', '0.1'), headers)).toThrow();
  });
});
