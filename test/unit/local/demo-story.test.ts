import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DemoClient } from '../../../src/local/demo-client.js';
import { runStory, StoryFailure } from '../../../src/local/demo-story.js';

type Script = (method: string, path: string, body: Record<string, unknown> | undefined) => [number, unknown];

const FP = `sha256:${'a'.repeat(64)}`;
const refused = (code: string) => [403, { verified: false, error: { code, message: code, field: 'payload.amount' } }];

/** Answers like a correct server: the story's expected answers. */
function correctServer(): Script {
  let verifications = 0;
  return (method, path, body) => {
    if (method === 'POST' && path === '/v1/agents')
      return [201, { id: 'a_0123456789abcdef', mode: 'observe', ...body }];
    if (path.endsWith('/certificates')) return [201, { fingerprint: FP, serialNumber: '01', notAfter: 'x', scope: {} }];
    if (path.endsWith('/sign')) return [200, { ...body, timestamp: 1, nonce: `n${Math.random()}`, signature: 'c2ln' }];
    if (path.endsWith('/revoke')) return [200, { status: 'revoked', revokedAt: 'now' }];
    if (path === '/v1/actions/verify') {
      verifications += 1;
      const order = [
        [200, { verified: true, riskBand: 'low', auditId: 'aud_1' }],
        refused('REPLAY_DETECTED'),
        refused('SCOPE_VIOLATION'),
        refused('CERTIFICATE_REVOKED'),
      ] as [number, unknown][];
      return order[verifications - 1] ?? [500, {}];
    }
    if (path.startsWith('/v1/audit')) return [404, { error: { code: 'NOT_FOUND', message: 'route not found' } }];
    return [404, { error: { code: 'NOT_FOUND', message: 'nope' } }];
  };
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
});

async function serve(script: Script): Promise<string> {
  const created = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      const [status, body] = script(req.method ?? 'GET', req.url ?? '/', raw === '' ? undefined : JSON.parse(raw));
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
}

const quiet = { step: () => undefined, detail: () => undefined };

describe('the demo story', () => {
  it('completes when every answer is the expected one, and says the audit route is not there yet', async () => {
    const lines: string[] = [];
    const url = await serve(correctServer());
    await runStory(new DemoClient(url, 'kk_test'), { step: (t) => lines.push(t), detail: (d) => lines.push(d) });
    expect(lines).toContain('refused: REPLAY_DETECTED');
    expect(lines).toContain('refused: CERTIFICATE_REVOKED');
    expect(lines.at(-1)).toContain('arrives with the audit ledger issue');
  });

  it('fails when a replay is accepted', async () => {
    const correct = correctServer();
    let verifications = 0;
    const url = await serve((method, path, body) => {
      if (path === '/v1/actions/verify' && ++verifications === 2) return [200, { verified: true }];
      return correct(method, path, body);
    });
    await expect(runStory(new DemoClient(url, 'kk_test'), quiet)).rejects.toThrow(
      /replay: expected 403 REPLAY_DETECTED/,
    );
  });

  it('fails when the server refuses the key', async () => {
    const url = await serve(() => [401, { error: { code: 'UNAUTHENTICATED', message: 'no' } }]);
    await expect(runStory(new DemoClient(url, 'kk_bad'), quiet)).rejects.toBeInstanceOf(StoryFailure);
  });
});
