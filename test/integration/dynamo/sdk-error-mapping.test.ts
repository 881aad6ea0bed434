/**
 * The line between "condition failed" (a domain answer) and "DynamoDB failed" (503): a throttled nonce claim must never
 * read as a replay or as a fresh nonce, and a throttled velocity update must refuse with a DependencyError.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoNonceStore } from '../../../src/adapters/aws/dynamo/nonce-store.js';
import { DynamoVelocityStore } from '../../../src/adapters/aws/dynamo/velocity-store.js';
import { DependencyError } from '../../../src/core/errors.js';

const tables = { registry: 'reg', nonces: 'non', counters: 'cnt', ledger: 'led' };
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: 'local',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  }),
);
const mock = mockClient(doc);
const throttled = () => new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'no', $metadata: {} });

beforeEach(() => mock.reset());

describe('SDK error mapping', () => {
  it('nonce claim: condition failure is a replay (false), throttling is a DependencyError', async () => {
    const store = new DynamoNonceStore(doc, tables);
    mock.on(PutCommand).rejectsOnce(conditionFailed()).rejectsOnce(throttled());
    expect(await store.claim('t', 'fp', 'nonce-0123456789abcdef', 1, 2)).toBe(false);
    await expect(store.claim('t', 'fp', 'nonce-0123456789abcdef', 1, 2)).rejects.toBeInstanceOf(DependencyError);
  });

  const both = {
    tenantId: 't',
    at: 1_764_190_000_000,
    amount: 5,
    levels: [{ fingerprint: 'fp', maxDailyVolume: 10, maxTransactionsPerHour: 3 }],
  };

  it('velocity: a throttled update (hour and day in one UpdateItem) is a DependencyError with nothing to take back', async () => {
    const store = new DynamoVelocityStore(doc, tables);
    mock.on(UpdateCommand).rejectsOnce(throttled()).resolves({});
    await expect(store.consume(both)).rejects.toBeInstanceOf(DependencyError);
    expect(mock.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('velocity: a day refusal reads the hour to name the limit; a throttled read is a DependencyError', async () => {
    const store = new DynamoVelocityStore(doc, tables);
    const minute = Math.floor(both.at / 60_000);
    mock.on(UpdateCommand).rejects(conditionFailed());
    mock
      .on(GetCommand)
      .resolvesOnce({ Item: { [`m${minute}`]: 1 } })
      .resolvesOnce({ Item: { [`m${minute}`]: 3 } })
      .rejectsOnce(throttled());
    expect(await store.consume(both)).toEqual({ ok: false, limit: 'maxDailyVolume', fingerprint: 'fp' });
    expect(await store.consume(both)).toEqual({ ok: false, limit: 'maxTransactionsPerHour', fingerprint: 'fp' });
    await expect(store.consume(both)).rejects.toBeInstanceOf(DependencyError);
  });

  it('velocity: an hour refusal takes back the minute and the volume in one update', async () => {
    const store = new DynamoVelocityStore(doc, tables);
    const minute = Math.floor(both.at / 60_000);
    mock
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { [`m${minute}`]: 4 } })
      .resolves({});
    expect(await store.consume(both)).toEqual({ ok: false, limit: 'maxTransactionsPerHour', fingerprint: 'fp' });
    const updates = mock.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(2);
    expect(updates[1]).toMatchObject({
      UpdateExpression: 'ADD #m :minusOne, #v :minusAmount',
      ExpressionAttributeNames: { '#m': `m${minute}`, '#v': 'v2025-11-26' },
    });
  });
});
