/**
 * Webhook destinations against a resolver the attacker controls (docs/events.md, "Webhook URLs"), played by an
 * injected resolver in front of a real receiver on loopback:
 * - DNS rebinding: a name that resolves to a public address when the webhook is created and to the metadata service
 *   (or to a mix of public and private addresses) at delivery is refused at connect time, before any byte is sent;
 * - local mode's plain http is for loopback only: `http://localhost` whose name resolves to a public address is
 *   refused at creation and at delivery (cleartext never leaves the machine);
 * - a name that stops resolving fails the attempt and is refused at creation; one whose DNS server never answers is
 *   refused at creation after a timeout (at delivery the attempt's deadline covers the lookup).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkWebhookDestination,
  HttpWebhookTransport,
  type Resolver,
} from '../../../src/adapters/webhooks/http-transport.js';

const DEPLOYED = { allowLoopbackHttp: false };
const LOCAL = { allowLoopbackHttp: true };
let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits += 1;
    req.resume();
    res.statusCode = 204;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A resolver that answers each lookup with the next list (the last one repeats), counting lookups. */
function scripted(...answers: string[][]): Resolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = async (hostname: string) => {
    lookups.push(hostname);
    const answer = answers[Math.min(lookups.length - 1, answers.length - 1)] ?? [];
    if (answer.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { lookups });
}

const post = (transport: HttpWebhookTransport, url: string) =>
  transport.post({ url, headers: { 'webhook-id': 'evt_1' }, body: '{}' });

describe('DNS rebinding', () => {
  it.each([[['169.254.169.254']], [['10.0.0.7']], [['93.184.216.34', '127.0.0.1']], [['::ffff:169.254.169.254']]])(
    'a name public at creation and %j at delivery is refused at connect time',
    async (atDelivery) => {
      const resolve = scripted(['93.184.216.34'], atDelivery);
      const url = await checkWebhookDestination(`https://hooks.example:${port}/h`, DEPLOYED, resolve);
      expect(url.hostname).toBe('hooks.example');
      const transport = new HttpWebhookTransport({ ...DEPLOYED, resolve, timeoutMs: 2_000 });
      const before = hits;
      await expect(post(transport, url.href)).rejects.toThrow('destination address refused');
      expect(resolve.lookups).toEqual(['hooks.example', 'hooks.example']);
      expect(hits).toBe(before);
    },
  );

  it('is refused at creation when the name resolves to a private address then', async () => {
    await expect(
      checkWebhookDestination('https://hooks.example/h', DEPLOYED, scripted(['192.168.1.20'])),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'url' });
  });
});

describe("local mode's http is loopback only", () => {
  it('delivers to http://localhost when the name resolves to loopback', async () => {
    const transport = new HttpWebhookTransport({ ...LOCAL, resolve: scripted(['127.0.0.1']) });
    expect(await post(transport, `http://localhost:${port}/h`)).toEqual({ status: 204 });
  });

  it('refuses http://localhost whose name resolves to a public address, at creation and at delivery', async () => {
    const resolve = scripted(['93.184.216.34']);
    await expect(checkWebhookDestination(`http://localhost:${port}/h`, LOCAL, resolve)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'url',
    });
    const transport = new HttpWebhookTransport({ ...LOCAL, resolve, timeoutMs: 2_000 });
    await expect(post(transport, `http://localhost:${port}/h`)).rejects.toThrow('destination address refused');
  });
});

describe('a name whose DNS server never answers', () => {
  it('is refused at creation after the resolve timeout instead of holding the request', async () => {
    const never: Resolver = () => new Promise(() => {});
    await expect(checkWebhookDestination('https://tarpit.example/h', DEPLOYED, never, 100)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'url',
    });
  }, 5_000);

  it("fails a delivery attempt at the attempt's deadline (the deadline covers the lookup)", async () => {
    const transport = new HttpWebhookTransport({ ...DEPLOYED, resolve: () => new Promise(() => {}), timeoutMs: 200 });
    await expect(post(transport, 'https://tarpit.example/h')).rejects.toThrow('timed out');
  }, 5_000);
});

describe('a name that does not resolve', () => {
  it('fails the attempt, and is refused at creation', async () => {
    const transport = new HttpWebhookTransport({ ...DEPLOYED, resolve: scripted([]), timeoutMs: 2_000 });
    await expect(post(transport, 'https://gone.example/h')).rejects.toThrow(/ENOTFOUND/);
    await expect(checkWebhookDestination('https://gone.example/h', DEPLOYED, scripted([]))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'url',
    });
  });
});
