/**
 * Agents in the registry table. Item: pk = AGENT#<tenant>#<id>, sk = AGENT; listed through gsi1
 * (gsi1pk = AGENTS#<tenant>, gsi1sk = <id>). `metadata` is caller JSON, stored as a string so it round-trips exactly.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { notFound } from '../../../core/errors.js';
import { AGENT_ID_PATTERN, type AgentRecord } from '../../../core/model.js';
import type { AgentStore, Page } from '../../../ports.js';
import {
  call,
  decodeCursor,
  encodeCursor,
  isConditionalFailure,
  key,
  putNew,
  stripStorageAttributes,
  toDependencyError,
  validateLimit,
} from './dynamo-support.js';
import { REGISTRY_INDEX, type TableNames } from './tables.js';

type AgentPatch = Partial<Pick<AgentRecord, 'mode' | 'warningThreshold' | 'anomalyThreshold' | 'metadata' | 'status'>>;
const PATCHABLE = ['mode', 'warningThreshold', 'anomalyThreshold', 'metadata', 'status'] as const;

const agentKey = (tenantId: string, id: string) => ({ pk: key('AGENT', tenantId, id), sk: 'AGENT' });
/**
 * A cursor is `{"id"}` of the last agent a page held, and only an agent id is one: a forged cursor naming anything
 * else (an empty or oversized key DynamoDB would refuse with a 5xx-mapped error, another shape) is 400 on `cursor`. A
 * well-formed id only ever positions the listing inside the caller's own tenant (the Query's partition is the
 * tenant's), so another tenant's cursor grants nothing.
 */
const isAgentCursor = (value: unknown): value is { id: string } =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  typeof (value as { id?: unknown }).id === 'string' &&
  AGENT_ID_PATTERN.test((value as { id: string }).id);

export class DynamoAgentStore implements AgentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async create(agent: AgentRecord): Promise<void> {
    const { metadata, ...rest } = agent;
    const item = {
      ...agentKey(agent.tenantId, agent.id),
      gsi1pk: key('AGENTS', agent.tenantId),
      gsi1sk: agent.id,
      itemType: 'agent',
      ...rest,
      metadataJson: JSON.stringify(metadata ?? {}),
    };
    await putNew(this.doc, this.tables.registry, item, 'agent create', 'agent exists');
  }

  async get(tenantId: string, id: string): Promise<AgentRecord | undefined> {
    const out = await call('agent get', () =>
      this.doc.send(
        new GetCommand({ TableName: this.tables.registry, Key: agentKey(tenantId, id), ConsistentRead: true }),
      ),
    );
    return out.Item ? toAgent(out.Item) : undefined;
  }

  /**
   * One page in id order. A Query stops at 1 MB whatever its Limit (≈ 250 agents with 4 KiB metadata), so pages are
   * followed until `limit + 1` agents are in hand or the index is exhausted: a page is never cut short silently.
   */
  async list(tenantId: string, limit: number, cursor?: string): Promise<Page<AgentRecord>> {
    validateLimit(limit);
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isAgentCursor).id;
    const gsi1pk = key('AGENTS', tenantId);
    const all: AgentRecord[] = [];
    let startKey: Record<string, unknown> | undefined =
      after === undefined ? undefined : { ...agentKey(tenantId, after), gsi1pk, gsi1sk: after };
    do {
      const out = await call('agent list', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tables.registry,
            IndexName: REGISTRY_INDEX.agents,
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': gsi1pk },
            Limit: limit + 1 - all.length,
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        ),
      );
      all.push(...(out.Items ?? []).map(toAgent));
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined && all.length <= limit);
    const items = all.slice(0, limit);
    const last = items.at(-1);
    return all.length > limit && last ? { items, nextCursor: encodeCursor({ id: last.id }) } : { items };
  }

  async update(tenantId: string, id: string, patch: AgentPatch): Promise<AgentRecord> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const field of PATCHABLE) {
      const value = patch[field];
      if (value === undefined) continue;
      const attribute = field === 'metadata' ? 'metadataJson' : field;
      names[`#${field}`] = attribute;
      values[`:${field}`] = field === 'metadata' ? JSON.stringify(value) : value;
      sets.push(`#${field} = :${field}`);
    }
    if (sets.length === 0) {
      const current = await this.get(tenantId, id);
      if (!current) throw notFound('agent');
      return current;
    }
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.registry,
          Key: agentKey(tenantId, id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (!out.Attributes) throw new Error('update returned no attributes');
      return toAgent(out.Attributes);
    } catch (error) {
      if (isConditionalFailure(error)) throw notFound('agent');
      throw toDependencyError('agent update', error);
    }
  }
}

function toAgent(item: Record<string, unknown>): AgentRecord {
  const { metadataJson, ...rest } = stripStorageAttributes(item);
  return { ...rest, metadata: JSON.parse(String(metadataJson ?? '{}')) } as AgentRecord;
}
