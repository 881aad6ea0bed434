import { request as httpRequest } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyError, KakuninError } from '../../../src/core/errors.js';
import { logger } from '../../../src/http/logger.js';
import type { Principal } from '../../../src/http/principal.js';
import type { LocalRoute } from '../../../src/local/route-match.js';
import { type LocalApi, type RunningServer, startLocalServer } from '../../../src/local/server.js';

const routes: LocalRoute[] = [
  { method: 'GET', path: '/health', group: 'public', isPublic: true },
  { method: 'GET', path: '/v1/crl', group: 'public', isPublic: true },
  { method: 'POST', path: '/v1/agents', group: 'agents', isPublic: false },
  { method: 'GET', path: '/v1/certificates/{fingerprint}', group: 'certificates', isPublic: false },
  { method: 'POST', path: '/v1/boom', group: 'boom', isPublic: false },
  {
    method: 'POST',
    path: '/v1/certificates/{fingerprint}/revoke',
    group: 'certificates',
    isPublic: false,
  },
];

const events: APIGatewayProxyEvent[] = [];
const echo = async (event: APIGatewayProxyEvent) => {
  events.push(event);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true }) };
};

const api: LocalApi = {
  routes,
  handlerFor: (group) => {
    if (group === 'boom') {
      return async () => {
        throw new Error('internal detail /secret/path');
      };
    }
    if (group === 'public') {
      return async (event) => {
        events.push(event);
        if (event.path === '/v1/crl') {
          return {
            statusCode: 200,
            headers: { 'content-type': 'application/pkix-crl' },
            body: 'AAEC/w==',
            isBase64Encoded: true,
          };
        }
        return { statusCode: 200, body: '{"status":"ok"}' };
      };
    }
    return echo;
  },
  authenticate: async (header): Promise<Principal> => {
    if (header === 'Bearer admin') return { tenantId: 'local', role: 'admin', keyId: 'key_1' };
    if (header === 'Bearer agent')
      return { tenantId: 'local', role: 'agent', agentId: 'a_0123456789abcdef', keyId: 'key_2' };
    if (header === 'Bearer down') throw new DependencyError('api key lookup failed on table kakunin-secret-table');
    throw new KakuninError('UNAUTHENTICATED', 'missing or unknown API key');
  },
};

let server: RunningServer;
beforeAll(async () => {
  logger.setLogLevel('SILENT');
  server = await startLocalServer(api, { port: 0 });
});
afterAll(async () => {
  await server.close();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);

describe('local server', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves a public route without a key and passes no principal', async () => {
    const response = await call('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(events.at(-1)?.requestContext.authorizer).toBeNull();
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('decodes a base64 proxy body into bytes (the DER CRL)', async () => {
    const response = await call('/v1/crl');
    expect(response.headers.get('content-type')).toBe('application/pkix-crl');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it('translates a request into an API Gateway proxy event', async () => {
    const response = await call('/v1/certificates/sha256%3Aabc?x=1&x=2&y=z', {
      headers: { authorization: 'Bearer agent', 'X-Custom': 'v' },
    });
    expect(response.status).toBe(200);
    const event = events.at(-1)!;
    expect(event).toMatchObject({
      httpMethod: 'GET',
      path: '/v1/certificates/sha256%3Aabc',
      resource: '/v1/certificates/{fingerprint}',
      pathParameters: { fingerprint: 'sha256:abc' },
      queryStringParameters: { x: '2', y: 'z' },
      multiValueQueryStringParameters: { x: ['1', '2'], y: ['z'] },
      isBase64Encoded: false,
      body: null,
    });
    expect(event.headers['x-custom']).toBe('v');
    expect(event.requestContext.authorizer).toEqual({
      principalId: 'key_2',
      tenantId: 'local',
      role: 'agent',
      agentId: 'a_0123456789abcdef',
      keyId: 'key_2',
    });
    expect(event.requestContext.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('passes the body through as a string', async () => {
    await call('/v1/agents', { method: 'POST', headers: { authorization: 'Bearer admin' }, body: '{"name":"x"}' });
    expect(events.at(-1)).toMatchObject({ body: '{"name":"x"}', queryStringParameters: null, pathParameters: null });
  });

  it('answers 401 UNAUTHENTICATED without calling the handler', async () => {
    const before = events.length;
    const response = await call('/v1/agents', { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'missing or unknown API key' },
    });
    expect(events.length).toBe(before);
  });

  it('leaves the role gate to the handler (the one policy): it passes the principal through', async () => {
    const before = events.length;
    const response = await call('/v1/certificates/x/revoke', {
      method: 'POST',
      headers: { authorization: 'Bearer agent' },
    });
    expect(response.status).toBe(200);
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)?.requestContext.authorizer?.role).toBe('agent');
  });

  it.each([
    ['GET', '/nope'],
    ['GET', '/v1/certificates/a%2Fb'],
    ['DELETE', '/health'],
    ['GET', '//health'],
    ['GET', '/v1/certificates/'],
    ['GET', '/v1/certificates/%E0%A4%A'],
    ['GET', '/v1/certificates/a/b'],
  ])('answers 404 NOT_FOUND for %s %s', async (method, path) => {
    const response = await call(path, { method, headers: { authorization: 'Bearer admin' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'route not found' } });
  });

  it('answers 413 for a body over 64 KiB, declared or chunked, without calling the handler', async () => {
    const before = events.length;
    const big = 'x'.repeat(64 * 1024 + 1);
    const response = await call('/v1/agents', {
      method: 'POST',
      headers: { authorization: 'Bearer admin' },
      body: big,
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    const chunked = await rawChunkedPost(server.port, '/v1/agents', [big.slice(0, 40_000), big.slice(40_000)]);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(events.length).toBe(before);
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const body = 'y'.repeat(64 * 1024);
    const response = await call('/v1/agents', { method: 'POST', headers: { authorization: 'Bearer admin' }, body });
    expect(response.status).toBe(200);
    expect(events.at(-1)?.body?.length).toBe(64 * 1024);
  });

  it('turns a thrown handler error into 503 UNAVAILABLE without internals', async () => {
    const response = await call('/v1/boom', { method: 'POST', headers: { authorization: 'Bearer admin' } });
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'UNAVAILABLE', message: 'a dependency is unavailable; the request had no effect' },
    });
    expect(text).not.toContain('secret');
  });

  it('answers a key-store failure with 503 and the same generic message and headers as the handlers', async () => {
    const response = await call('/v1/agents', { method: 'POST', headers: { authorization: 'Bearer down' } });
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'UNAVAILABLE', message: 'a dependency is unavailable; the request had no effect' },
    });
    expect(text).not.toContain('secret');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

function rawChunkedPost(port: number, path: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { authorization: 'Bearer admin', 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}
