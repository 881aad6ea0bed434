/**
 * CA material in the registry table: the deployment's root (pk = ROOT, sk = ROOT), each tenant with its issuing CA
 * (pk = TENANT#<id>, sk = TENANT) and each tenant's CRL number counter (pk = CRLNUMBER#<id>, sk = CRLNUMBER).
 * Root and tenant writes are conditional on absence; a loser of the race reads and returns the winner's record.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DependencyError } from '../../../core/errors.js';
import type { CaRecord, TenantRecord } from '../../../core/model.js';
import type { CaStore } from '../../../ports.js';
import { call, isConditionalFailure, key, stripStorageAttributes, toDependencyError } from './dynamo-support.js';
import type { TableNames } from './tables.js';

const ROOT_KEY = { pk: 'ROOT', sk: 'ROOT' };
const tenantKey = (tenantId: string) => ({ pk: key('TENANT', tenantId), sk: 'TENANT' });
const crlNumberKey = (tenantId: string) => ({ pk: key('CRLNUMBER', tenantId), sk: 'CRLNUMBER' });

export class DynamoCaStore implements CaStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async getRoot(): Promise<CaRecord | undefined> {
    return (await this.read('root get', ROOT_KEY)) as CaRecord | undefined;
  }

  async putRoot(root: CaRecord): Promise<CaRecord> {
    return (await this.putIfAbsent('root put', ROOT_KEY, 'root-ca', root)) as CaRecord;
  }

  async getTenant(tenantId: string): Promise<TenantRecord | undefined> {
    return (await this.read('tenant get', tenantKey(tenantId))) as TenantRecord | undefined;
  }

  async putTenant(tenant: TenantRecord): Promise<TenantRecord> {
    return (await this.putIfAbsent('tenant put', tenantKey(tenant.id), 'tenant', tenant)) as TenantRecord;
  }

  async nextCrlNumber(tenantId: string): Promise<bigint> {
    const out = await call('crl number increment', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.registry,
          Key: crlNumberKey(tenantId),
          UpdateExpression: 'ADD crlNumber :one SET itemType = :type',
          ExpressionAttributeValues: { ':one': 1, ':type': 'crl-number' },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    const value = out.Attributes?.crlNumber;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new DependencyError('crl number increment returned no number');
    }
    return BigInt(value);
  }

  /** Kept on the CRL-number item: one item per tenant holds both counters. */
  async crlRevision(tenantId: string): Promise<bigint> {
    const out = await call('crl revision read', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tables.registry,
          Key: crlNumberKey(tenantId),
          ConsistentRead: true,
          ProjectionExpression: 'crlRevision',
        }),
      ),
    );
    const value = out.Item?.crlRevision ?? 0;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new DependencyError('crl revision unreadable');
    return BigInt(value);
  }

  async bumpCrlRevision(tenantId: string): Promise<bigint> {
    const out = await call('crl revision increment', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.registry,
          Key: crlNumberKey(tenantId),
          UpdateExpression: 'ADD crlRevision :one SET itemType = :type',
          ExpressionAttributeValues: { ':one': 1, ':type': 'crl-number' },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    const value = out.Attributes?.crlRevision;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new DependencyError('crl revision increment returned no number');
    }
    return BigInt(value);
  }

  private async read(operation: string, itemKey: Record<string, string>): Promise<object | undefined> {
    const out = await call(operation, () =>
      this.doc.send(new GetCommand({ TableName: this.tables.registry, Key: itemKey, ConsistentRead: true })),
    );
    return out.Item ? stripStorageAttributes(out.Item) : undefined;
  }

  private async putIfAbsent(
    operation: string,
    itemKey: Record<string, string>,
    itemType: string,
    record: object,
  ): Promise<object> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.registry,
          Item: { ...itemKey, itemType, ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return structuredClone(record);
    } catch (error) {
      if (!isConditionalFailure(error)) throw toDependencyError(operation, error);
    }
    const winner = await this.read(operation, itemKey);
    if (!winner) throw new DependencyError(`${operation} lost a race but found no winner`);
    return winner;
  }
}
