/**
 * A hostile webhook receiver against the real HTTP transport and dispatcher (docs/events.md, "Delivery"):
 * - a redirect (301/302/303/307/308) to an internal address is never followed: the internal server (a second real
 *   server on loopback, reachable under local mode's policy, so only the no-follow rule protects it) records no hit,
 *   and the attempt counts as failed (retried, then dead-lettered, and a replay counts it failed);
 * - a receiver that trickles its body after a 200 cannot hold the dispatcher: the status line decides the attempt;
 * - a receiver that trickles its headers, or never answers, is cut off by one deadline for the whole attempt (node's
 *   `timeout` option alone is an idle timer that each trickled byte resets).
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDeliveryScheduler, MemoryWebhookStore } from '../../../src/adapters/memory/memory-monitoring.js';
import { HttpWebhookTransport } from '../../../src/adapters/webhooks/http-transport.js';
import type { KakuninEvent } from '../../../src/core/model.js';
import { MAX_ATTEMPTS } from '../../../src/core/webhooks/delivery-schedule.js';
import { WebhookDispatcher } from '../../../src/core/webhooks/webhook-dispatcher.js';

const LOCAL = { allowLoopbackHttp: true };
const internalHits: string[] = [];
const sockets = new Set<Socket>();
let internal: Server;
let redirector: Server;
let trickler: TcpServer;
let internalUrl: string;
let redirectorUrl: string;
let tricklerUrl: string;

const listen = async <T extends Server | TcpServer>(server: T): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  internal = createServer((req, res) => {
    internalHits.push(`${req.method} ${req.url}`);
    res.end('secret metadata');
  });
  internalUrl = await listen(internal);
  // /30x answers that status with a Location on the internal server.
  redirector = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(Number(req.url?.slice(1)), { location: `${internalUrl}/latest/meta-data/` });
      res.end();
    });
  });
  redirectorUrl = await listen(redirector);
  // Raw TCP: /body → 200 then a body byte every 20 ms; /headers → a header line every 20 ms; /silent → nothing.
  trickler = createTcpServer((socket) => {
    socket.once('data', (chunk) => {
      const path = chunk.toString('latin1').split(' ')[1];
      if (path === '/silent') return;
      if (path === '/body') socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n');
      else socket.write('HTTP/1.1 200 OK\r\n');
      const timer = setInterval(() => socket.write(path === '/body' ? 'x' : 'x-trickle: 1\r\n'), 20);
      socket.on('close', () => clearInterval(timer));
      socket.on('error', () => clearInterval(timer));
    });
  });
  tricklerUrl = await listen(trickler);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(
    [internal, redirector, trickler].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

const event: KakuninEvent = {
  id: 'evt_aaaaaaaaaaaaaaaaaaaaaaaa',
  type: 'agent.certificate_revoked',
  createdAt: '2026-01-15T12:00:00.000Z',
  tenantId: 't1',
  data: { agent_id: 'a_1' },
};

async function dispatcherFor(url: string) {
  const webhooks = new MemoryWebhookStore();
  await webhooks.create({
    tenantId: 't1',
    id: 'wh_aaaaaaaaaaaaaaaaaaaa',
    url,
    eventTypes: [],
    secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
    createdAt: 0,
  });
  const scheduler = new MemoryDeliveryScheduler();
  const failures: string[] = [];
  const dispatcher = new WebhookDispatcher({
    webhooks,
    transport: new HttpWebhookTransport({ ...LOCAL, timeoutMs: 2_000 }),
    scheduler,
    clock: { now: () => Date.UTC(2026, 0, 15, 12) },
    jitter: () => 0.5,
    onAttemptFailed: (f) => failures.push(f.reason),
  });
  return { webhooks, scheduler, dispatcher, failures };
}

describe('webhook delivery never follows a redirect', () => {
  it.each([301, 302, 303, 307, 308])('a %i to an internal server is a failed attempt, never a hit', async (status) => {
    const { dispatcher, scheduler, webhooks, failures } = await dispatcherFor(`${redirectorUrl}/${status}`);
    const hitsBefore = internalHits.length;
    await dispatcher.dispatch(event);
    let jobs = scheduler.take();
    const outcomes: string[] = [];
    for (let i = 0; i < MAX_ATTEMPTS && jobs.length > 0; i += 1) {
      for (const job of jobs) outcomes.push(await dispatcher.deliver(job));
      jobs = scheduler.take();
    }
    expect(outcomes.at(0)).toBe('retrying');
    expect(outcomes.at(-1)).toBe('dead_letter');
    expect(failures[0]).toBe(`HTTP ${status}`);
    expect(await webhooks.listDeadLetters('t1', 'wh_aaaaaaaaaaaaaaaaaaaa')).toHaveLength(1);
    expect(await dispatcher.replay('t1', 'wh_aaaaaaaaaaaaaaaaaaaa')).toEqual({ delivered: 0, failed: 1 });
    expect(internalHits.length).toBe(hitsBefore);
  });

  it('the internal server is reachable directly (so the zero hits above mean "not followed")', async () => {
    const transport = new HttpWebhookTransport(LOCAL);
    const before = internalHits.length;
    expect(await transport.post({ url: `${internalUrl}/direct`, headers: {}, body: '{}' })).toEqual({ status: 200 });
    expect(internalHits.length).toBe(before + 1);
  });
});

describe('a trickling or silent receiver cannot hold the dispatcher', () => {
  it('answers with the status line of a 200 whose body trickles without end', async () => {
    const transport = new HttpWebhookTransport({ ...LOCAL, timeoutMs: 60_000 });
    expect(await transport.post({ url: `${tricklerUrl}/body`, headers: {}, body: '{}' })).toEqual({ status: 200 });
  }, 5_000);

  it.each(['/headers', '/silent'])(
    'gives up on %s at the deadline for the whole attempt',
    async (path) => {
      const transport = new HttpWebhookTransport({ ...LOCAL, timeoutMs: 300 });
      await expect(transport.post({ url: `${tricklerUrl}${path}`, headers: {}, body: '{}' })).rejects.toThrow(
        'timed out',
      );
    },
    5_000,
  );
});
