/**
 * The line between "condition failed" (a domain answer) and "DynamoDB failed" (503): a throttled nonce claim must never
 * read as a replay or as a fresh nonce, and a throttled velocity step must refuse with a DependencyError after taking
 * its hourly increment back.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

  it('velocity: a throttled day update takes the hour increment back and rejects', async () => {
    const store = new DynamoVelocityStore(doc, tables);
    const minute = Math.floor(1_764_190_000_000 / 60_000);
    mock
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { [`m${minute}`]: 1 } })
      .rejectsOnce(throttled())
      .resolves({});
    await expect(
      store.consume({
        tenantId: 't',
        fingerprint: 'fp',
        at: 1_764_190_000_000,
        amount: 5,
        maxDailyVolume: 10,
        maxTransactionsPerHour: 3,
      }),
    ).rejects.toBeInstanceOf(DependencyError);
    const updates = mock.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(3);
    expect(updates[2]).toMatchObject({
      UpdateExpression: 'ADD #m :minusOne',
      ExpressionAttributeNames: { '#m': `m${minute}` },
    });
  });
});
