import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { authenticate, createAuthorizer } from '../../../functions/authorizer.js';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { MemoryAgentStore, MemoryApiKeyStore } from '../../../src/adapters/memory/memory-stores.js';
import { createApiKey } from '../../../src/app/api-keys.js';
import type { AppContext } from '../../../src/app/context.js';
import { principalFromEvent } from '../../../src/http/principal.js';
import { buildEvent } from '../http/harness.js';

async function setup() {
  const deps = {
    apiKeys: new MemoryApiKeyStore(),
    agents: new MemoryAgentStore(),
    ledger: new MemoryLedger(),
    clock: { now: () => 0 },
    random: { bytes: (n: number) => new Uint8Array(n).map(() => Math.floor(Math.random() * 256)) },
  };
  const { key, record } = await createApiKey(deps, { tenantId: 't1', role: 'verifier', by: 'test' });
  const provider = async () => deps as unknown as AppContext;
  return { deps, key, record, provider };
}

const authorizerEvent = (headers: Record<string, string>): APIGatewayRequestAuthorizerEvent =>
  ({
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:api123/prod/POST/v1/actions/verify',
    headers,
  }) as unknown as APIGatewayRequestAuthorizerEvent;

describe('Lambda authorizer', () => {
  it('allows the whole stage for a known key and passes the principal as context', async () => {
    const { key, record, provider } = await setup();
    const result = await createAuthorizer(provider)(authorizerEvent({ authorization: `bearer ${key}` }));
    expect(result.principalId).toBe(record.id);
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:eu-west-1:123456789012:api123/prod/*',
      },
    ]);
    expect(result.context).toEqual({ tenantId: 't1', role: 'verifier', keyId: record.id });
    const event = buildEvent({ method: 'GET', path: '/' });
    // biome-ignore lint/suspicious/noExplicitAny: the authorizer context as API Gateway forwards it.
    event.requestContext.authorizer = result.context as any;
    expect(principalFromEvent(event)).toEqual({ tenantId: 't1', role: 'verifier', keyId: record.id });
  });

  it("throws 'Unauthorized' (API Gateway's 401) for missing, malformed and unknown keys", async () => {
    const { provider, key } = await setup();
    const cases: Record<string, string>[] = [
      {},
      { Authorization: key },
      { Authorization: `Token ${key}` },
      { Authorization: 'Bearer kk_nope-nope-nope-nope' },
    ];
    for (const headers of cases) {
      await expect(createAuthorizer(provider)(authorizerEvent(headers))).rejects.toThrow(/^Unauthorized$/);
    }
  });

  it('denies (without calling it a bad key) when the key store is down', async () => {
    const { deps, key } = await setup();
    deps.apiKeys.getByHash = async () => {
      throw new Error('dynamodb down');
    };
    await expect(
      createAuthorizer(async () => deps as unknown as AppContext)(authorizerEvent({ Authorization: `Bearer ${key}` })),
    ).rejects.toThrow('dynamodb down');
  });

  it('authenticate is reusable by local mode', async () => {
    const { deps, key, record } = await setup();
    await expect(authenticate(deps, `Bearer ${key}`)).resolves.toMatchObject({ keyId: record.id, role: 'verifier' });
    await expect(authenticate(deps, undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
