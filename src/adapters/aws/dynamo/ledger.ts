/**
 * The audit ledger: one hash chain per tenant in the ledger table (pk = tenant, sk = seq). Only PutItem, GetItem and
 * Query are used, because the deployed table's resource policy denies every update and delete.
 *
 * append: read the head (cached per process after the first read), build entry seq+1 linked to the head's hash, and
 * PutItem conditional on `attribute_not_exists(sk)`. Exactly one writer can create each seq, so the chain stays
 * gapless and linear across any number of processes; a loser refreshes the head and retries with jitter, bounded,
 * then fails with a DependencyError (the caller answers 503). Appends from one process are serialised per tenant,
 * so in-process concurrency costs no conflicts at all.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DependencyError, invalidRequest } from '../../../core/errors.js';
import { entryHash, GENESIS_HASH, verifyChain } from '../../../core/ledger-hash.js';
import type { AuditEntry, AuditEntryInput } from '../../../core/model.js';
import type { AuditQuery, Clock, Ledger, LedgerVerification, Page } from '../../../ports.js';
import {
  call,
  decodeCursor,
  encodeCursor,
  isConditionalFailure,
  jitter,
  toDependencyError,
  validateLimit,
} from './dynamo-support.js';
import { fromLedgerItem, pickInput, toLedgerItem } from './ledger-item.js';
import { queryAll } from './query-all.js';
import type { TableNames } from './tables.js';

interface Head {
  seq: number;
  hash: string;
}

export interface DynamoLedgerOptions {
  /** Conditional-put attempts per append before giving up with a DependencyError. @default 12 */
  maxAttempts?: number;
  /** Query pages one list() call reads at most before returning a short page with a cursor. @default 10 */
  maxPagesPerList?: number;
}

const systemClock: Clock = { now: () => Date.now() };
const isSeqCursor = (value: unknown): value is { seq: number } =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as { seq?: unknown }).seq) &&
  ((value as { seq: number }).seq as number) >= 0;

export class DynamoLedger implements Ledger {
  private readonly heads = new Map<string, Head>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly maxAttempts: number;
  private readonly maxPagesPerList: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly clock: Clock = systemClock,
    options: DynamoLedgerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 12;
    this.maxPagesPerList = options.maxPagesPerList ?? 10;
  }

  append(input: AuditEntryInput): Promise<AuditEntry> {
    if (typeof input.tenantId !== 'string' || input.tenantId.length === 0) {
      return Promise.reject(invalidRequest('audit entry needs a tenant', 'tenantId'));
    }
    return this.serialised(input.tenantId, () => this.appendNow(pickInput(input)));
  }

  async list(tenantId: string, query: AuditQuery): Promise<Page<AuditEntry>> {
    validateLimit(query.limit);
    for (const field of ['from', 'to'] as const) {
      const value = query[field];
      if (value !== undefined && !Number.isFinite(value)) throw invalidRequest(`invalid ${field}`, field);
    }
    let after = query.cursor === undefined ? 0 : decodeCursor(query.cursor, isSeqCursor).seq;
    const { filter, names, values } = listFilter(query);
    const matched: AuditEntry[] = [];
    for (let page = 0; page < this.maxPagesPerList; page += 1) {
      const out = await call('ledger list', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tables.ledger,
            KeyConditionExpression: 'pk = :pk AND sk > :after',
            ExpressionAttributeValues: { ':pk': tenantId, ':after': after, ...values },
            ...(filter ? { FilterExpression: filter, ExpressionAttributeNames: names } : {}),
            Limit: filter ? 200 : query.limit + 1 - matched.length,
            ConsistentRead: true,
          }),
        ),
      );
      matched.push(...(out.Items ?? []).map(fromLedgerItem));
      if (matched.length > query.limit) {
        const items = matched.slice(0, query.limit);
        return { items, nextCursor: encodeCursor({ seq: items.at(-1)!.seq }) };
      }
      if (!out.LastEvaluatedKey) return { items: matched };
      after = Number(out.LastEvaluatedKey.sk);
    }
    // Scanned the page budget without filling the page: hand back what matched and where to continue.
    return { items: matched, nextCursor: encodeCursor({ seq: after }) };
  }

  async verify(tenantId: string): Promise<LedgerVerification> {
    const items = await queryAll(this.doc, 'ledger verify', {
      TableName: this.tables.ledger,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': tenantId },
      ConsistentRead: true,
    });
    return verifyChain(items.map(fromLedgerItem));
  }

  private async appendNow(input: AuditEntryInput): Promise<AuditEntry> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
      if (attempt > 0) await jitter(attempt, 5, 100);
      const head = this.heads.get(input.tenantId) ?? (await this.readHead(input.tenantId));
      const unhashed: Omit<AuditEntry, 'hash'> = {
        ...input,
        id: `aud_${randomUUID().replaceAll('-', '')}`,
        seq: head.seq + 1,
        createdAt: this.clock.now(),
        prevHash: head.hash,
      };
      const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tables.ledger,
            Item: toLedgerItem(entry),
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        );
        this.heads.set(input.tenantId, { seq: entry.seq, hash: entry.hash });
        return structuredClone(entry);
      } catch (error) {
        this.heads.delete(input.tenantId);
        if (!isConditionalFailure(error)) throw toDependencyError('ledger append', error);
      }
    }
    throw new DependencyError('ledger append lost too many races');
  }

  private async readHead(tenantId: string): Promise<Head> {
    const out = await call('ledger head', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tables.ledger,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': tenantId },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const latest = out.Items?.[0];
    return latest ? { seq: Number(latest.sk), hash: String(latest.hash) } : { seq: 0, hash: GENESIS_HASH };
  }

  /** Runs `task` after every earlier task of the same tenant has settled. */
  private serialised<T>(tenantId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(tenantId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(tenantId, settled);
    void settled.then(() => {
      if (this.queues.get(tenantId) === settled) this.queues.delete(tenantId);
    });
    return run;
  }
}

function listFilter(query: AuditQuery): {
  filter: string | undefined;
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.actorId !== undefined) {
    clauses.push('#actor = :actor');
    names['#actor'] = 'actorId';
    values[':actor'] = query.actorId;
  }
  if (query.from !== undefined || query.to !== undefined) names['#created'] = 'createdAt';
  if (query.from !== undefined) {
    clauses.push('#created >= :from');
    values[':from'] = query.from;
  }
  if (query.to !== undefined) {
    clauses.push('#created <= :to');
    values[':to'] = query.to;
  }
  return { filter: clauses.length > 0 ? clauses.join(' AND ') : undefined, names, values };
}
