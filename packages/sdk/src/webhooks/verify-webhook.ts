/**
 * `verifyWebhook` (docs/api.md §5, §10): checks a Standard Webhooks delivery with the `standardwebhooks` library
 * (HMAC-SHA256 over `{id}.{timestamp}.{body}`, constant-time comparison, 5-minute timestamp tolerance) and returns the
 * typed event. Pass the raw body exactly as received: a re-serialised JSON object would not match the signature.
 *
 * @example
 * app.post('/webhook/kakunin', express.raw({ type: 'application/json' }), (req, res) => {
 *   const event = verifyWebhook(process.env.KAKUNIN_WEBHOOK_SECRET!, req.headers, req.body);
 *   if (event.type === 'agent.certificate_revoked') terminate(event.data.agent_id);
 *   res.json({ acknowledged: true });
 * });
 */
import { Webhook } from 'standardwebhooks';
import { fieldPath } from '../envelope/schema.js';
import { KakuninError } from '../errors.js';
import { type KakuninEvent, kakuninEvent } from './events.js';

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

const REQUIRED = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

function headerRecord(headers: WebhookHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers instanceof Headers) {
    for (const name of REQUIRED) {
      const value = headers.get(name);
      if (value !== null) out[name] = value;
    }
    return out;
  }
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!(REQUIRED as readonly string[]).includes(lower) || value === undefined) continue;
    out[lower] = Array.isArray(value) ? value.join(' ') : value;
  }
  return out;
}

const refused = (message: string, field?: string): KakuninError =>
  new KakuninError('INVALID_REQUEST', message, { status: 400, field });

/** @throws KakuninError INVALID_REQUEST when the signature, timestamp or event shape does not check out. */
export function verifyWebhook(secret: string, headers: WebhookHeaders, body: string | Uint8Array): KakuninEvent {
  if (typeof secret !== 'string' || secret.replace(/^whsec_/, '') === '')
    throw new TypeError('a webhook secret is required');
  const text =
    typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const record = headerRecord(headers);
  for (const name of REQUIRED) if (record[name] === undefined) throw refused(`missing ${name} header`, name);
  let parsed: unknown;
  try {
    parsed = new Webhook(secret).verify(text, record);
  } catch (error) {
    // Never echo the secret or the expected signature; the library's messages name neither.
    throw new KakuninError('INVALID_REQUEST', `webhook rejected: ${(error as Error).message}`, {
      status: 400,
      cause: error,
    });
  }
  const result = kakuninEvent.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw refused(`not a Kakunin event: ${issue?.message ?? 'invalid'}`, fieldPath(issue?.path ?? []));
  }
  return result.data;
}
