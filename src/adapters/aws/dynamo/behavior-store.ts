/**
 * BehaviorStore on the monitoring table. `save` is an UpdateItem conditional on the version the consumer loaded
 * (`attribute_not_exists(pk)` for version 0), so of two consumers that loaded the same version exactly one writes;
 * it sets only the consumer's attributes, so a baseline locked in between is never overwritten. The risk is kept in
 * plain attributes (`riskScore`, `riskBand`, `riskUpdatedAt`) beside the encoded state so a reader can project just
 * those few bytes instead of the whole item.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DependencyError } from '../../../core/errors.js';
import type { BaselineLock, RiskBand, RiskContribution, RiskSnapshot } from '../../../core/model.js';
import type { BehaviorRecord, BehaviorStore, BehaviorUpdate, RiskReader } from '../../../ports.js';
import { call, isConditionalFailure, key, toDependencyError } from './dynamo-support.js';
import { QUIET_AGENT_TTL_DAYS } from './monitoring-table.js';

export const STATE_SK = 'STATE';
export const stateKey = (tenantId: string, agentId: string) => ({ pk: key('AGENT', tenantId, agentId), sk: STATE_SK });

/** DynamoDB's item limit is 400 KB; the engine promises ≤ 16 KiB. Anything larger is a bug, refused before writing. */
const MAX_STATE_BYTES = 16 * 1024;

export class DynamoBehaviorStore implements BehaviorStore, RiskReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async load(tenantId: string, agentId: string): Promise<BehaviorRecord> {
    const out = await call('behavior load', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: stateKey(tenantId, agentId), ConsistentRead: true })),
    );
    const item = out.Item;
    if (item === undefined) return { tenantId, agentId, version: 0 };
    const record: BehaviorRecord = { tenantId, agentId, version: Number(item.version ?? 0) };
    if (item.state instanceof Uint8Array) record.state = item.state;
    const risk = riskFromItem(item);
    if (risk !== undefined) record.risk = risk;
    if (typeof item.baselineJson === 'string') record.baseline = JSON.parse(item.baselineJson) as BaselineLock;
    return record;
  }

  /** RiskReader: the risk attributes only (a projection of a few bytes, never the encoded state). */
  async current(tenantId: string, agentId: string): Promise<RiskSnapshot | undefined> {
    const out = await call('risk read', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.table,
          Key: stateKey(tenantId, agentId),
          ConsistentRead: true,
          ProjectionExpression: '#score, #band, #updatedAt',
          ExpressionAttributeNames: { '#score': 'riskScore', '#band': 'riskBand', '#updatedAt': 'riskUpdatedAt' },
        }),
      ),
    );
    return out.Item === undefined ? undefined : riskFromItem(out.Item);
  }

  async save(tenantId: string, agentId: string, expectedVersion: number, update: BehaviorUpdate): Promise<boolean> {
    if (update.state.byteLength > MAX_STATE_BYTES) throw new DependencyError('behaviour state exceeds 16 KiB');
    const expiresAt = Math.floor(update.lastActionAt / 1000) + QUIET_AGENT_TTL_DAYS * 86_400;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: stateKey(tenantId, agentId),
          UpdateExpression:
            'SET #version = :next, #state = :state, #tenantId = :tenantId, #agentId = :agentId, #score = :score, ' +
            '#band = :band, #updatedAt = :updatedAt, #contributions = :contributions, #expiresAt = :expiresAt',
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(#version)' : '#version = :expected',
          ExpressionAttributeNames: {
            '#version': 'version',
            '#state': 'state',
            '#tenantId': 'tenantId',
            '#agentId': 'agentId',
            '#score': 'riskScore',
            '#band': 'riskBand',
            '#updatedAt': 'riskUpdatedAt',
            '#contributions': 'contributionsJson',
            '#expiresAt': 'expiresAt',
          },
          ExpressionAttributeValues: {
            ':next': expectedVersion + 1,
            ':state': update.state,
            ':tenantId': tenantId,
            ':agentId': agentId,
            ':score': update.risk.score,
            ':band': update.risk.band,
            ':updatedAt': update.risk.updatedAt,
            ':contributions': JSON.stringify(update.risk.contributions ?? []),
            ':expiresAt': expiresAt,
            ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw toDependencyError('behavior save', error);
    }
  }

  async putBaseline(tenantId: string, agentId: string, baseline: BaselineLock): Promise<void> {
    await call('baseline lock', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: stateKey(tenantId, agentId),
          UpdateExpression: 'SET #baseline = :baseline, #tenantId = :tenantId, #agentId = :agentId',
          ExpressionAttributeNames: { '#baseline': 'baselineJson', '#tenantId': 'tenantId', '#agentId': 'agentId' },
          ExpressionAttributeValues: {
            ':baseline': JSON.stringify(baseline),
            ':tenantId': tenantId,
            ':agentId': agentId,
          },
        }),
      ),
    );
  }
}

/** The risk attributes of a state item (or of a projection of them); undefined when the agent has no score yet. */
export function riskFromItem(item: Record<string, unknown>): RiskSnapshot | undefined {
  if (item.riskScore === undefined) return undefined;
  const snapshot: RiskSnapshot = {
    score: item.riskScore as number,
    band: item.riskBand as RiskBand,
    updatedAt: item.riskUpdatedAt as number,
  };
  if (typeof item.contributionsJson === 'string') {
    snapshot.contributions = JSON.parse(item.contributionsJson) as RiskContribution[];
  }
  return snapshot;
}
