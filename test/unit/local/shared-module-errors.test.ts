/**
 * The server takes its strict JSON parser, payload copy and scope normalisation from the SDK (docs/architecture.md,
 * "Shared with the SDK"); those modules throw the SDK's KakuninError. Hostile bodies that reach them, sent over real
 * HTTP to the local server, must still answer exactly the contract's 400 body the server's own copies answered:
 * code, message and `field` unchanged, never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApi } from '../../../src/local/local-api.js';
import { type RunningServer, startLocalServer } from '../../../src/local/server.js';
import { createTestApiWithAgent } from '../http/harness.js';

let server: RunningServer;
let admin: string;
let agentId: string;
let fingerprint: string;

beforeAll(async () => {
  const setup = await createTestApiWithAgent('hostile');
  ({ admin, agentId } = setup);
  const issued = await setup.api.call({
    method: 'POST',
    path: `/v1/agents/${agentId}/certificates`,
    key: admin,
    body: { scope: { maxTransactionSize: 10_000 } },
  });
  expect(issued.status).toBe(201);
  fingerprint = issued.json.fingerprint;
  server = await startLocalServer(createLocalApi(setup.api.ctx), { port: 0 });
});
afterAll(async () => {
  await server?.close();
});

async function post(path: string, body: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, json: await response.json() };
}

const envelope = (payload: string) =>
  `{"payload":${payload},"certificateFingerprint":"${fingerprint}","timestamp":1764190000000,"nonce":"abcdefghijklmnop","signature":"AAAA"}`;

describe('hostile bodies that reach modules shared with the SDK', () => {
  it.each([
    [
      'a duplicated key (strict JSON)',
      '/v1/agents',
      () => '{"name":"a","name":"b"}',
      { message: 'duplicate JSON object key', field: 'name' },
    ],
    ['invalid JSON (strict JSON)', '/v1/agents', () => '{"name":', { message: 'request body is not valid JSON' }],
    [
      'a rounded amount (exact numbers)',
      '/v1/actions/verify',
      () => envelope('{"action":"charge","amount":100.00000000000000001,"currency":"EUR"}'),
      { message: 'number is not exactly representable (it would be rounded)', field: 'payload.amount' },
    ],
    [
      'a lone surrogate in the payload (payload copy)',
      '/v1/actions/verify',
      () => envelope('{"action":"charge","note":"\\ud800"}'),
      { message: 'string contains an unpaired surrogate', field: 'payload.note' },
    ],
    [
      'a __proto__ key in the payload (payload copy)',
      '/v1/actions/verify',
      () => envelope('{"action":"charge","__proto__":{"admin":true}}'),
      { message: 'the key "__proto__" is not allowed', field: 'payload.__proto__' },
    ],
    [
      'a lone surrogate in a scope list (scope normalisation)',
      '/v1/agents/{id}/certificates',
      () => '{"scope":{"allowedActions":["\\ud800"]}}',
      { message: 'allowedActions items must be strings of 1-128 characters', field: 'scope.allowedActions.0' },
    ],
  ])('%s answers the same 400 body', async (_, route, body, error) => {
    const answer = await post(route.replace('{id}', agentId), body());
    expect(answer).toEqual({ status: 400, json: { error: { code: 'INVALID_REQUEST', ...error } } });
  });
});
