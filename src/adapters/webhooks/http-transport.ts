/**
 * WebhookTransport over node:http(s). The address policy is enforced on the address the socket actually connects to
 * (a `lookup` hook that rejects a forbidden resolution), not on an earlier, separate DNS answer: a host that resolves
 * to a public address when the webhook is created and to 169.254.169.254 at delivery (DNS rebinding) is refused at
 * delivery. Redirects are not followed (a 3xx is a failed attempt), the response body is discarded unread beyond
 * 64 KiB, and every attempt times out.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { invalidRequest } from '../../core/errors.js';
import { bareHost, checkWebhookUrl, isAllowedAddress, type UrlPolicy } from '../../core/webhooks/address-policy.js';
import type { WebhookRequest, WebhookTransport } from '../../core/webhooks/webhook-dispatcher.js';

export interface HttpTransportOptions extends UrlPolicy {
  /** @default 10_000 */
  timeoutMs?: number;
}

export class HttpWebhookTransport implements WebhookTransport {
  private readonly timeoutMs: number;

  constructor(private readonly policy: HttpTransportOptions) {
    this.timeoutMs = policy.timeoutMs ?? 10_000;
  }

  async post(request: WebhookRequest): Promise<{ status: number }> {
    // A URL that became unacceptable (policy tightened, stored before a fix) fails the attempt like a refused address.
    const url = checkWebhookUrl(request.url, this.policy);
    const host = bareHost(url);
    if (isIP(host) !== 0 && !isAllowedAddress(host, this.policy)) throw new Error('destination address refused');
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return await new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          lookup: this.checkedLookup(),
          timeout: this.timeoutMs,
        },
        (res) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > 65_536) res.destroy();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('close', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (error) => reject(new Error(error.message === '' ? 'request failed' : error.message)));
      req.end(request.body);
    });
  }

  /** Resolves as usual, then refuses the connection if any resolved address is not allowed. */
  private checkedLookup(): LookupFunction {
    const policy = this.policy;
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 4);
        const list = Array.isArray(addresses) ? addresses : [];
        if (list.length === 0 || list.some((a) => !isAllowedAddress(a.address, policy))) {
          return callback(new Error('destination address refused'), '', 4);
        }
        if ((options as { all?: boolean }).all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
        const first = list[0]!;
        return callback(null, first.address, first.family);
      });
    };
  }
}

/**
 * Creation-time check of a webhook URL: its form, and every address its host resolves to now. (Delivery checks again
 * at connect time; this one gives the admin a clear 400 instead of a webhook that can never deliver.)
 */
export async function checkWebhookDestination(raw: string, policy: UrlPolicy): Promise<URL> {
  const url = checkWebhookUrl(raw, policy);
  const host = bareHost(url);
  if (isIP(host) !== 0) return url;
  const addresses = await new Promise<LookupAddress[]>((resolve) =>
    dnsLookup(host, { all: true }, (error, found) => resolve(error ? [] : found)),
  );
  if (addresses.length === 0) throw invalidRequest('url host does not resolve', 'url');
  if (addresses.some((a) => !isAllowedAddress(a.address, policy))) {
    throw invalidRequest('url must not point at a private, loopback or link-local address', 'url');
  }
  return url;
}
