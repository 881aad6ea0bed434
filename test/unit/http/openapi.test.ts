import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../functions/routes.js';
import { matchRoute } from '../../../src/http/router.js';
import { createTestApi, type TestApi, type TestRequest } from './harness.js';
import { parseYamlSubset, validate } from './openapi-support.js';

// biome-ignore lint/suspicious/noExplicitAny: the parsed document is dynamic.
const doc: any = parseYamlSubset(readFileSync(new URL('../../../docs/openapi.yaml', import.meta.url), 'utf8'));
const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

describe('docs/openapi.yaml', () => {
  it('is OpenAPI 3.1 with a bearer security scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('lists exactly the routes of functions/routes.ts, with their roles and public flags', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item as object)
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) {
      const operation = doc.paths[route.path][route.method.toLowerCase()];
      if (route.public) expect(operation.security, route.path).toEqual([]);
      else expect([...operation['x-roles']].sort(), route.path).toEqual([...route.roles].sort());
    }
  });
});

describe('docs/openapi.yaml documents the answers every route can give (contract §1)', () => {
  it('lists 503 UNAVAILABLE on every operation and 413 on every operation that takes a body', () => {
    for (const route of routes) {
      const operation = doc.paths[route.path][route.method.toLowerCase()];
      const name = `${route.method} ${route.path}`;
      expect(operation.responses['503'], name).toEqual({ $ref: '#/components/responses/Error' });
      if (operation.requestBody)
        expect(operation.responses['413'], name).toEqual({ $ref: '#/components/responses/Error' });
      else expect(operation.responses['413'], name).toBeUndefined();
    }
  });
});

describe('real handler responses validate against the document', () => {
  let api: TestApi;
  let admin: string;
  const checked = new Set<string>();

  async function expectDocumented(request: TestRequest, expectedStatus: number) {
    const response = await api.call(request);
    expect(response.status, `${request.method} ${request.path}: ${response.text}`).toBe(expectedStatus);
    const match = matchRoute(routes, request.method, request.path);
    let schema: unknown;
    if (match) {
      const operation = doc.paths[match.route.path][match.route.method.toLowerCase()];
      let documented = operation.responses[String(response.status)];
      expect(documented, `${match.route.path} ${response.status} documented`).toBeDefined();
      if (documented.$ref) documented = doc.components.responses[documented.$ref.split('/').at(-1)];
      const contentType = (response.headers['content-type'] ?? '').split(';')[0]!;
      const media = documented.content[contentType];
      expect(media, `${match.route.path} ${response.status} ${contentType}`).toBeDefined();
      schema = media.schema;
      checked.add(`${match.route.method} ${match.route.path}`);
    } else {
      schema = { $ref: '#/components/schemas/Error' };
    }
    const body = response.headers['content-type']?.startsWith('application/json') ? response.json : response.text;
    expect(validate(doc, schema, body), `${request.method} ${request.path}`).toEqual([]);
    return response;
  }

  beforeAll(async () => {
    api = await createTestApi();
    admin = await api.key('t1', 'admin');
  });

  it('covers every route with a success and the common errors', async () => {
    const scope = { maxTransactionSize: 100, allowedActions: ['pay'], allowedCounterparties: ['acme'] };
    await expectDocumented({ method: 'GET', path: '/health' }, 200);
    const key = await expectDocumented(
      { method: 'POST', path: '/v1/api-keys', key: admin, body: { role: 'verifier' } },
      201,
    );
    const agent = await expectDocumented(
      { method: 'POST', path: '/v1/agents', key: admin, body: { name: 'doc.agent', metadata: { team: 'x' } } },
      201,
    );
    const id = agent.json.id;
    await expectDocumented(
      { method: 'POST', path: '/v1/api-keys', key: admin, body: { role: 'agent', agentId: id } },
      201,
    );
    await expectDocumented({ method: 'GET', path: '/v1/agents', key: admin, query: { limit: '1' } }, 200);
    await expectDocumented({ method: 'GET', path: `/v1/agents/${id}`, key: admin }, 200);
    await expectDocumented({ method: 'PATCH', path: `/v1/agents/${id}`, key: admin, body: { mode: 'enforce' } }, 200);
    const parent = await expectDocumented(
      { method: 'POST', path: `/v1/agents/${id}/certificates`, key: admin, body: { scope, validityHours: 48 } },
      201,
    );
    const child = await expectDocumented(
      { method: 'POST', path: '/v1/agents', key: admin, body: { name: 'doc.child' } },
      201,
    );
    await expectDocumented(
      {
        method: 'POST',
        path: `/v1/agents/${child.json.id}/certificates`,
        key: admin,
        body: { scope, validityHours: 24, parentFingerprint: parent.json.fingerprint },
      },
      201,
    );
    const signed = await expectDocumented(
      {
        method: 'POST',
        path: `/v1/agents/${id}/sign`,
        key: admin,
        body: {
          payload: { action: 'pay', amount: 5, currency: 'EUR', counterparty: 'acme' },
          certificateFingerprint: parent.json.fingerprint,
        },
      },
      200,
    );
    await expectDocumented({ method: 'POST', path: '/v1/actions/verify', key: key.json.key, body: signed.json }, 200);
    await expectDocumented({ method: 'POST', path: '/v1/actions/verify', key: key.json.key, body: signed.json }, 403);
    await expectDocumented({ method: 'POST', path: '/v1/actions/verify', key: key.json.key, body: { nope: 1 } }, 400);
    await expectDocumented(
      {
        method: 'POST',
        path: `/v1/certificates/${parent.json.fingerprint}/revoke`,
        key: admin,
        body: { reason: 'anomaly' },
      },
      200,
    );
    await expectDocumented(
      { method: 'GET', path: `/v1/certificates/${parent.json.fingerprint}`, key: key.json.key },
      200,
    );
    const audit = await expectDocumented({ method: 'GET', path: '/v1/audit', key: admin, query: { limit: '2' } }, 200);
    await expectDocumented({ method: 'GET', path: '/v1/audit', key: admin, query: { type: 'nope' } }, 400);
    await expectDocumented({ method: 'GET', path: '/v1/audit', key: key.json.key }, 403);
    await expectDocumented({ method: 'GET', path: '/v1/audit/export', key: admin }, 200);
    await expectDocumented({ method: 'GET', path: '/v1/audit/checkpoint', key: admin }, 200);
    await expectDocumented({ method: 'GET', path: '/v1/audit/checkpoint/key', key: key.json.key }, 200);
    await expectDocumented({ method: 'GET', path: `/v1/audit/${audit.json.items[0].id}/proof`, key: admin }, 200);
    await expectDocumented({ method: 'GET', path: `/v1/audit/aud_${'0'.repeat(32)}x/proof`, key: admin }, 404);
    await expectDocumented(
      { method: 'GET', path: '/v1/audit/consistency', key: admin, query: { from: '1', to: '2' } },
      200,
    );
    await expectDocumented({ method: 'GET', path: '/v1/audit/verify', key: admin }, 200);
    await expectDocumented({ method: 'GET', path: '/v1/ca/chain', query: { tenant: 't1' } }, 200);
    await expectDocumented({ method: 'GET', path: '/v1/crl', query: { tenant: 't1' } }, 200);
    await expectDocumented({ method: 'GET', path: '/v1/crl', query: { tenant: 'unknown' } }, 404);
    await expectDocumented({ method: 'GET', path: `/v1/agents/a_${'0'.repeat(20)}`, key: admin }, 404);
    await expectDocumented({ method: 'POST', path: '/v1/agents', key: key.json.key, body: { name: 'x' } }, 403);
    await expectDocumented({ method: 'POST', path: '/v1/agents', key: admin, body: { name: '' } }, 400);
    await expectDocumented({ method: 'GET', path: '/v1/agents' }, 401);
    await expectDocumented({ method: 'GET', path: '/v1/nothing', key: admin }, 404);
    await expectDocumented(
      { method: 'POST', path: '/v1/agents', key: admin, body: { name: 'big', metadata: { x: 'y'.repeat(70_000) } } },
      413,
    );
    const list = api.ctx.agents.list.bind(api.ctx.agents);
    api.ctx.agents.list = async () => {
      throw new Error('store down');
    };
    try {
      await expectDocumented({ method: 'GET', path: '/v1/agents', key: admin }, 503);
    } finally {
      api.ctx.agents.list = list;
    }
    expect([...checked].sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });
});
