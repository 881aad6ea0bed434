/**
 * The HTTP transport against a real receiver on loopback: local mode delivers to it; the deployed policy refuses it,
 * both as a literal address and through a host NAME that resolves to loopback at connect time (the DNS-rebinding
 * case: the name passes the URL check, the address it resolves to does not).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpWebhookTransport } from '../../../src/adapters/webhooks/http-transport.js';

let server: Server;
let port: number;
const received: { headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = req.url === '/redirect' ? 302 : 204;
      if (req.url === '/redirect') res.setHeader('location', 'http://169.254.169.254/');
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request = (url: string) => ({ url, headers: { 'webhook-id': 'evt_1' }, body: '{"a":1}' });

describe('HttpWebhookTransport', () => {
  it('delivers to a loopback receiver in local mode', async () => {
    const transport = new HttpWebhookTransport({ allowLoopbackHttp: true });
    expect(await transport.post(request(`http://127.0.0.1:${port}/hook`))).toEqual({ status: 204 });
    expect(received.at(-1)).toMatchObject({ body: '{"a":1}', headers: { 'webhook-id': 'evt_1' } });
  });

  it('does not follow a redirect (a 3xx is a failed attempt)', async () => {
    const transport = new HttpWebhookTransport({ allowLoopbackHttp: true });
    expect(await transport.post(request(`http://127.0.0.1:${port}/redirect`))).toEqual({ status: 302 });
  });

  it('refuses loopback when deployed, by literal address', async () => {
    const transport = new HttpWebhookTransport({ allowLoopbackHttp: false });
    await expect(transport.post(request(`https://127.0.0.1:${port}/hook`))).rejects.toThrow();
  });

  it('refuses a host name that resolves to a private address at connect time (DNS rebinding)', async () => {
    const before = received.length;
    const transport = new HttpWebhookTransport({ allowLoopbackHttp: false });
    // This machine's own name passes the URL check (it is not an address) and resolves to loopback.
    await expect(transport.post(request(`https://${hostname()}:${port}/hook`))).rejects.toThrow(
      /destination address refused|ENOTFOUND|EAI_AGAIN/,
    );
    expect(received.length).toBe(before);
  });
});
