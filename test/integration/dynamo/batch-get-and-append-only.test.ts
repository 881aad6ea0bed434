/**
 * What the DynamoDB stores send, checked on the SDK commands themselves (aws-sdk-client-mock):
 * - BatchGetItem retries exactly the UnprocessedKeys and never answers with a partial read (a missing ancestor could
 *   hide a revocation): keys still unprocessed after the last attempt are a DependencyError;
 * - the ledger is append-only in code, not only by the deployed deny policy: append, list and verify issue nothing but
 *   PutItem conditional on `attribute_not_exists(sk)` and consistent Queries.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchGetAll, batchGetTables } from '../../../src/adapters/aws/dynamo/batch-get.js';
import { DynamoCertificateStore } from '../../../src/adapters/aws/dynamo/certificate-store.js';
import { DynamoLedger } from '../../../src/adapters/aws/dynamo/ledger.js';
import { DependencyError } from '../../../src/core/errors.js';
import { auditInput } from '../support/records.js';

const tables = { registry: 'reg', nonces: 'non', counters: 'cnt', ledger: 'led' };
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const mock = mockClient(doc);
beforeEach(() => mock.reset());

const keyOf = (i: number) => ({ pk: `K#${i}`, sk: 'CERT' });

describe('BatchGetItem', () => {
  it('retries exactly the UnprocessedKeys and returns every item once', async () => {
    const keys = [0, 1, 2, 3].map(keyOf);
    mock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: {
          reg: [
            { ...keys[0], n: 0 },
            { ...keys[2], n: 2 },
          ],
        },
        UnprocessedKeys: { reg: { Keys: [keys[1]!, keys[3]!] } },
      })
      .resolvesOnce({ Responses: { reg: [{ ...keys[1], n: 1 }] }, UnprocessedKeys: { reg: { Keys: [keys[3]!] } } })
      .resolvesOnce({ Responses: { reg: [{ ...keys[3], n: 3 }] }, UnprocessedKeys: {} });
    const items = await batchGetAll(doc, 'reg', keys);
    expect(items.map((item) => item.n).sort()).toEqual([0, 1, 2, 3]);
    const requested = mock.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.reg?.Keys);
    expect(requested).toEqual([keys, [keys[1], keys[3]], [keys[3]]]);
    for (const call of mock.commandCalls(BatchGetCommand)) {
      expect(call.args[0].input.RequestItems?.reg?.ConsistentRead).toBe(true);
    }
  });

  it('reads several tables in one request and retries exactly the keys left unprocessed in each', async () => {
    const reg = [0, 1].map(keyOf);
    const mon = [{ pk: 'AGENT#t#a', sk: 'STATE' }];
    mock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { reg: [{ ...reg[0], n: 0 }], mon: [] },
        UnprocessedKeys: { reg: { Keys: [reg[1]!] }, mon: { Keys: mon } },
      })
      .resolvesOnce({ Responses: { reg: [{ ...reg[1], n: 1 }], mon: [{ ...mon[0], riskScore: 0.4 }] } });
    const projection = { expression: '#pk', names: { '#pk': 'pk' } };
    const found = await batchGetTables(doc, [
      { table: 'reg', keys: reg },
      { table: 'mon', keys: mon, projection },
    ]);
    expect(
      found
        .get('reg')
        ?.map((item) => item.n)
        .sort(),
    ).toEqual([0, 1]);
    expect(found.get('mon')).toEqual([{ ...mon[0], riskScore: 0.4 }]);
    const calls = mock.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems);
    expect(calls).toEqual([
      {
        reg: { Keys: reg, ConsistentRead: true },
        mon: {
          Keys: mon,
          ConsistentRead: true,
          ProjectionExpression: '#pk',
          ExpressionAttributeNames: { '#pk': 'pk' },
        },
      },
      {
        reg: { Keys: [reg[1]], ConsistentRead: true },
        mon: {
          Keys: mon,
          ConsistentRead: true,
          ProjectionExpression: '#pk',
          ExpressionAttributeNames: { '#pk': 'pk' },
        },
      },
    ]);
  });

  it('refuses an answer for a table it did not ask for', async () => {
    mock.on(BatchGetCommand).resolves({ Responses: { reg: [], other: [{ pk: 'x' }] } });
    await expect(batchGetAll(doc, 'reg', [keyOf(1)])).rejects.toBeInstanceOf(DependencyError);
  });

  it('fails with a DependencyError, never a partial answer, when keys stay unprocessed', async () => {
    mock.on(BatchGetCommand).resolves({ Responses: { reg: [] }, UnprocessedKeys: { reg: { Keys: [keyOf(7)] } } });
    await expect(batchGetAll(doc, 'reg', [keyOf(7)])).rejects.toBeInstanceOf(DependencyError);
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(6);
    const store = new DynamoCertificateStore(doc, tables);
    await expect(
      store.readVerificationState('t', { fingerprints: ['sha256:ab'], agentIds: ['a_1'] }),
    ).rejects.toBeInstanceOf(DependencyError);
  }, 20_000);
});

describe('ledger append-only', () => {
  it('append, list and verify send only conditional PutItems and consistent Queries', async () => {
    mock.on(QueryCommand).resolves({ Items: [] });
    mock.on(PutCommand).resolves({});
    const ledger = new DynamoLedger(doc, tables);
    await Promise.all(Array.from({ length: 12 }, (_, i) => ledger.append(auditInput('t', i))));
    await ledger.append(auditInput('t', 99));
    await ledger.list('t', { limit: 10 });
    await ledger.list('t', { limit: 10, actorId: 'agent-even', from: 1, to: 2 });
    await ledger.verify('t');
    const names = new Set(mock.calls().map((call) => (call.args[0] as object).constructor.name));
    expect([...names].sort()).toEqual(['PutCommand', 'QueryCommand']);
    const puts = mock.commandCalls(PutCommand);
    expect(puts.length).toBeGreaterThanOrEqual(2);
    for (const put of puts) {
      expect(put.args[0].input.TableName).toBe('led');
      expect(put.args[0].input.ConditionExpression).toBe('attribute_not_exists(sk)');
    }
    for (const query of mock.commandCalls(QueryCommand)) expect(query.args[0].input.ConsistentRead).toBe(true);
  });
});
