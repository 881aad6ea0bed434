/**
 * WebhookTransport over node:http(s). The address policy is enforced on the address the socket actually connects to
 * (a `lookup` hook that rejects a forbidden resolution), not on an earlier, separate DNS answer: a host that resolves
 * to a public address when the webhook is created and to 169.254.169.254 at delivery (DNS rebinding) is refused at
 * delivery. Redirects are not followed (a 3xx is a failed attempt: following one would let a public receiver point the
 * service at an internal address the checks never saw). The attempt's answer is its status line alone: the body is
 * never read, and the attempt has one deadline from connect to status line, so a receiver that trickles its headers
 * or its body a byte at a time cannot hold the dispatcher (node's `timeout` option alone is an idle timer, which a
 * trickle resets for ever).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { invalidRequest } from '../../core/errors.js';
import {
  bareHost,
  checkWebhookUrl,
  isAllowedAddress,
  isLoopbackAddress,
  type UrlPolicy,
} from '../../core/webhooks/address-policy.js';
import type { WebhookRequest, WebhookTransport } from '../../core/webhooks/webhook-dispatcher.js';

/** Every address a host name resolves to (injected in tests to play a resolver that changes its answer). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
  );

export interface HttpTransportOptions extends UrlPolicy {
  /** One deadline for the whole attempt, connect to status line. @default 10_000 */
  timeoutMs?: number;
  /** @default the system resolver (`dns.lookup`, as node:http itself would use) */
  resolve?: Resolver;
}

/** Which resolved addresses a URL may connect to: plain http only ever to loopback (local mode), https per policy. */
function addressRule(url: URL, policy: UrlPolicy): (address: string) => boolean {
  return url.protocol === 'http:' ? isLoopbackAddress : (address) => isAllowedAddress(address, policy);
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
    // A name that passed as `localhost` over http must still connect to loopback, never to a public host in cleartext.
    const allowed = addressRule(url, this.policy);
    if (isIP(host) !== 0 && !allowed(host)) throw new Error('destination address refused');
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return await new Promise((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        outcome();
      };
      const req = send(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          lookup: checkedLookup(allowed, this.policy.resolve ?? systemResolver),
          timeout: this.timeoutMs,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          // The status decides the attempt; the body is not ours to wait for (a 3xx's Location is never read).
          res.destroy();
          settle(() => resolve({ status }));
        },
      );
      const deadline = setTimeout(() => req.destroy(new Error('timed out')), this.timeoutMs);
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (error) =>
        settle(() => reject(new Error(error.message === '' ? 'request failed' : error.message))),
      );
      req.end(request.body);
    });
  }
}

/** Resolves as usual, then refuses the connection if any resolved address is not allowed. */
function checkedLookup(allowed: (address: string) => boolean, resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const family = (options as { family?: number | string }).family;
        const list = found.filter((a) => family === undefined || family === 0 || a.family === Number(family));
        if (list.length === 0 || found.some((a) => !allowed(a.address))) {
          return callback(new Error('destination address refused'), '', 4);
        }
        if ((options as { all?: boolean }).all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
        const first = list[0]!;
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}

/**
 * Creation-time check of a webhook URL: its form, and every address its host resolves to now. (Delivery checks again
 * at connect time; this one gives the admin a clear 400 instead of a webhook that can never deliver.)
 */
export async function checkWebhookDestination(
  raw: string,
  policy: UrlPolicy,
  resolve: Resolver = systemResolver,
  /** A name whose DNS server never answers must not hold the request (the gateway gives up at 29 s). */
  resolveTimeoutMs = 5_000,
): Promise<URL> {
  const url = checkWebhookUrl(raw, policy);
  const host = bareHost(url);
  if (isIP(host) !== 0) return url;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<LookupAddress[]>((done) => {
    timer = setTimeout(() => done([]), resolveTimeoutMs);
  });
  const addresses = await Promise.race([resolve(host).catch(() => []), timedOut]).finally(() => clearTimeout(timer));
  if (addresses.length === 0) throw invalidRequest('url host does not resolve', 'url');
  const allowed = addressRule(url, policy);
  if (addresses.some((a) => !allowed(a.address))) {
    throw invalidRequest('url must not point at a private, loopback or link-local address', 'url');
  }
  return url;
}
