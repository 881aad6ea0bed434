/**
 * A `fetch` that serves the SDK client from the real handlers of the unit-test harness (in-memory ports, fixed
 * clock), so client tests exercise real routes and answers without a port or a child process.
 */
import { createTestApi, createTestApiWithAgent, type TestApi } from '../../unit/http/harness.js';

export function harnessFetch(api: TestApi): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const query = Object.fromEntries(url.searchParams.entries());
    const answer = await api.call({
      method: init?.method ?? 'GET',
      path: url.pathname,
      headers,
      ...(Object.keys(query).length === 0 ? {} : { query }),
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
    });
    const body = answer.isBase64Encoded ? Buffer.from(answer.text, 'base64') : answer.text;
    return new Response(body, { status: answer.status, headers: answer.headers });
  };
}

export const BASE_URL = 'http://kakunin.test';

export { createTestApi, createTestApiWithAgent, type TestApi };
