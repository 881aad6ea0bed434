/**
 * WebhookStore on the monitoring table: pk `WEBHOOK#<tenant>`, sk `SUB#<id>` for subscriptions and
 * `DEAD#<webhook>#<event>` for dead letters, so a tenant's subscriptions (or one webhook's dead letters) are one Query.
 * The event of a dead letter is kept as JSON text so it is replayed byte for byte.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EventType, WebhookDeadLetter, WebhookSubscription } from '../../../core/model.js';
import type { WebhookStore } from '../../../ports.js';
import { call, key, putNew } from './dynamo-support.js';
import { queryAll } from './query-all.js';

const pkOf = (tenantId: string) => key('WEBHOOK', tenantId);
const subSk = (id: string) => key('SUB', id);
const deadSk = (webhookId: string, eventId: string) => key('DEAD', webhookId, eventId);

export class DynamoWebhookStore implements WebhookStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(subscription: WebhookSubscription): Promise<void> {
    await putNew(
      this.doc,
      this.table,
      { pk: pkOf(subscription.tenantId), sk: subSk(subscription.id), ...subscription },
      'webhook create',
      'webhook exists',
    );
  }

  async get(tenantId: string, id: string): Promise<WebhookSubscription | undefined> {
    const out = await call('webhook get', () =>
      this.doc.send(
        new GetCommand({ TableName: this.table, Key: { pk: pkOf(tenantId), sk: subSk(id) }, ConsistentRead: true }),
      ),
    );
    return out.Item === undefined ? undefined : toSubscription(out.Item);
  }

  async list(tenantId: string): Promise<WebhookSubscription[]> {
    const items = await queryAll(this.doc, 'webhook list', {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pkOf(tenantId), ':prefix': 'SUB#' },
      ConsistentRead: true,
    });
    return items.map(toSubscription).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const out = await call('webhook delete', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: pkOf(tenantId), sk: subSk(id) },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return out.Attributes !== undefined;
  }

  async putDeadLetter(letter: WebhookDeadLetter): Promise<void> {
    const { event, ...rest } = letter;
    await call('dead letter put', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: pkOf(letter.tenantId),
            sk: deadSk(letter.webhookId, letter.eventId),
            ...rest,
            eventJson: JSON.stringify(event),
          },
        }),
      ),
    );
  }

  async listDeadLetters(tenantId: string, webhookId: string): Promise<WebhookDeadLetter[]> {
    const items = await queryAll(this.doc, 'dead letter list', {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pkOf(tenantId), ':prefix': `${key('DEAD', webhookId)}#` },
      ConsistentRead: true,
    });
    return items
      .map((item) => {
        const { pk: _pk, sk: _sk, eventJson, ...rest } = item;
        return { ...rest, event: JSON.parse(String(eventJson)) } as WebhookDeadLetter;
      })
      .sort((a, b) => a.firstAttemptAt - b.firstAttemptAt);
  }

  async deleteDeadLetter(tenantId: string, webhookId: string, eventId: string): Promise<void> {
    await call('dead letter delete', () =>
      this.doc.send(
        new DeleteCommand({ TableName: this.table, Key: { pk: pkOf(tenantId), sk: deadSk(webhookId, eventId) } }),
      ),
    );
  }
}

function toSubscription(item: Record<string, unknown>): WebhookSubscription {
  return {
    tenantId: item.tenantId as string,
    id: item.id as string,
    url: item.url as string,
    eventTypes: (item.eventTypes as EventType[] | undefined) ?? [],
    secret: item.secret as string,
    createdAt: item.createdAt as number,
  };
}
