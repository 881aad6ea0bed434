/**
 * Every store turns an unreachable or failing DynamoDB into a DependencyError (503, cause kept, no item contents in
 * the message). The client points at a closed port on 127.0.0.1, so each call fails at the network layer.
 */
import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoStores } from '../../../src/adapters/aws/dynamo/index.js';
import { DependencyError } from '../../../src/core/errors.js';
import { agentRecord, auditInput, caRecord, certificateRecord } from '../support/records.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('DynamoDB failures become DependencyError', async () => {
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${await closedPort()}`,
    region: 'local',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const stores = createDynamoStores(doc, { registry: 'reg', nonces: 'non', counters: 'cnt', ledger: 'led' });
  const secret = 'SECRET-PAYLOAD-VALUE';

  const calls: [string, () => Promise<unknown>][] = [
    ['agents.create', () => stores.agents.create(agentRecord('t', 'a', { metadata: { secret } }))],
    ['agents.get', () => stores.agents.get('t', 'a')],
    ['agents.list', () => stores.agents.list('t', 10)],
    ['agents.update', () => stores.agents.update('t', 'a', { mode: 'enforce' })],
    ['certificates.put', () => stores.certificates.put(certificateRecord('t', secret))],
    ['certificates.get', () => stores.certificates.get('t', 'fp')],
    ['certificates.getMany', () => stores.certificates.getMany('t', ['fp1', 'fp2'])],
    ['certificates.revoke', () => stores.certificates.revoke('t', 'fp', 'superseded', 1)],
    ['certificates.listChildren', () => stores.certificates.listChildren('t', 'fp')],
    ['certificates.listByAgent', () => stores.certificates.listByAgent('t', 'a')],
    ['certificates.listRevoked', () => stores.certificates.listRevoked('t')],
    ['apiKeys.put', () => stores.apiKeys.put({ tenantId: 't', id: 'k', role: 'admin', keyHash: 'h', createdAt: 1 })],
    ['apiKeys.getByHash', () => stores.apiKeys.getByHash('h')],
    ['caStore.getRoot', () => stores.caStore.getRoot()],
    ['caStore.putRoot', () => stores.caStore.putRoot(caRecord('r'))],
    ['caStore.putTenant', () => stores.caStore.putTenant({ id: 't', createdAt: 1, issuingCa: caRecord('t') })],
    ['caStore.nextCrlNumber', () => stores.caStore.nextCrlNumber('t')],
    ['nonces.claim', () => stores.nonces.claim('t', 'fp', 'nonce-0123456789abcdef', 1, 2)],
    [
      'velocity.consume',
      () =>
        stores.velocity.consume({ tenantId: 't', at: 1, levels: [{ fingerprint: 'fp', maxTransactionsPerHour: 5 }] }),
    ],
    [
      'velocity.consume day',
      () =>
        stores.velocity.consume({
          tenantId: 't',
          at: 1,
          amount: 5,
          levels: [{ fingerprint: 'fp', maxDailyVolume: 9 }],
        }),
    ],
    ['ledger.append', () => stores.ledger.append(auditInput('t', 1, { payload: { secret } }))],
    ['ledger.list', () => stores.ledger.list('t', { limit: 5 })],
    ['ledger.verify', () => stores.ledger.verify('t')],
  ];

  it.each(calls)('%s rejects with a 503 DependencyError carrying the cause', async (_name, run) => {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DependencyError);
    const dependency = error as DependencyError;
    expect(dependency.status).toBe(503);
    expect(dependency.code).toBe('UNAVAILABLE');
    expect(dependency.cause).toBeDefined();
    expect(dependency.message).not.toContain(secret);
  });
});
