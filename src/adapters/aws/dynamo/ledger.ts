/**
 * The audit ledger: one hash chain per tenant in the ledger table (pk = tenant, sk = seq). Only PutItem, GetItem and
 * Query are used, because the deployed table's resource policy denies every update and delete.
 *
 * append: read the head (cached per process after the first read), build entry seq+1 linked to the head's hash, and
 * PutItem conditional on `attribute_not_exists(sk)`. Exactly one writer can create each seq, so the chain stays
 * gapless and linear across any number of processes; a loser refreshes the head and retries with jitter, bounded,
 * then fails with a DependencyError (the caller answers 503). Appends from one process are serialised per tenant,
 * so in-process concurrency costs no conflicts at all.
 *
 * Group commit: appends that arrive while a write of the same tenant is in flight queue up and are written together
 * by the next conditional PutItem as one block item (ledger-item.ts; sk = first seq, up to 25 entries). A block is
 * sized by the bytes actually stored (`ledgerItemBytes`, UTF-8, as DynamoDB counts) and closed before it would pass
 * MAX_ITEM_BYTES, so no entry's content can make a write holding other callers' entries fail: the entries that do not
 * fit go to the next block. A
 * single pending append is written as a plain single-entry item, exactly as before. Each append's promise resolves
 * only after the PutItem holding its entry succeeded, and a failed write rejects every append in it, so "audit
 * before answer" is unchanged; in-process concurrency now costs one PutItem per batch instead of one per entry.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DependencyError, invalidRequest, KakuninError } from '../../../core/errors.js';
import { GENESIS_HASH, sealEntry, verifyChain } from '../../../core/ledger-hash.js';
import { AUDIT_ID_PATTERN, type AuditEntry, type AuditEntryInput } from '../../../core/model.js';
import type { AuditQuery, Clock, Ledger, LedgerVerification, Page } from '../../../ports.js';
import { call, isConditionalFailure, jitter, toDependencyError } from './dynamo-support.js';
import {
  blockEntryJson,
  blockItem,
  blockOverheadBytes,
  entriesOfItem,
  ledgerItemBytes,
  MAX_BLOCK_ENTRIES,
  MAX_ITEM_BYTES,
  pickInput,
  toLedgerItem,
} from './ledger-item.js';
import { listLedger } from './ledger-list.js';
import { queryAll } from './query-all.js';
import type { TableNames } from './tables.js';

interface Head {
  seq: number;
  hash: string;
}

interface PendingAppend {
  input: AuditEntryInput;
  resolve(entry: AuditEntry): void;
  reject(error: unknown): void;
}

export interface DynamoLedgerOptions {
  /** Conditional-put attempts per append before giving up with a DependencyError. @default 12 */
  maxAttempts?: number;
  /** Query pages one list() call reads at most before returning a short page with a cursor. @default 10 */
  maxPagesPerList?: number;
}

const systemClock: Clock = { now: () => Date.now() };

export class DynamoLedger implements Ledger {
  private readonly heads = new Map<string, Head>();
  /** Appends waiting for the tenant's in-flight write; a tenant with an entry here has a flush running. */
  private readonly pending = new Map<string, PendingAppend[]>();
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
    const picked = pickInput(input);
    return new Promise((resolve, reject) => {
      const queue = this.pending.get(picked.tenantId);
      const append = { input: picked, resolve, reject };
      if (queue !== undefined) {
        queue.push(append);
        return;
      }
      this.pending.set(picked.tenantId, [append]);
      void this.flush(picked.tenantId);
    });
  }

  list(tenantId: string, query: AuditQuery): Promise<Page<AuditEntry>> {
    return listLedger(this.doc, this.tables.ledger, tenantId, query, this.maxPagesPerList);
  }

  async verify(tenantId: string): Promise<LedgerVerification> {
    const items = await queryAll(this.doc, 'ledger verify', {
      TableName: this.tables.ledger,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': tenantId },
      ConsistentRead: true,
    });
    return verifyChain(items.flatMap(entriesOfItem));
  }

  /** Writes the tenant's queued appends, one block per PutItem, until the queue is empty. */
  private async flush(tenantId: string): Promise<void> {
    for (;;) {
      const queue = this.pending.get(tenantId);
      if (queue === undefined || queue.length === 0) {
        this.pending.delete(tenantId);
        return;
      }
      const batch = queue.splice(0, MAX_BLOCK_ENTRIES);
      try {
        const entries = await this.writeBlock(batch.map((append) => append.input));
        // Appends that did not fit in this block's bytes go first into the next one.
        queue.unshift(...batch.splice(entries.length));
        batch.forEach((append, i) => {
          append.resolve(structuredClone(entries[i]!));
        });
      } catch (error) {
        if (error instanceof EntryTooLarge) {
          // Only the entry that cannot be stored at all fails; the others are written without it.
          queue.unshift(...batch.splice(1));
        }
        for (const append of batch) append.reject(error);
      }
    }
  }

  /** Writes the longest prefix of `inputs` that fits one item and returns its entries (at least one, or throws). */
  private async writeBlock(inputs: AuditEntryInput[]): Promise<AuditEntry[]> {
    const tenantId = inputs[0]!.tenantId;
    for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
      if (attempt > 0) await jitter(attempt, 5, 100);
      const head = this.heads.get(tenantId) ?? (await this.readHead(tenantId));
      const createdAt = this.clock.now();
      const entries: AuditEntry[] = [];
      const parts: string[] = [];
      let bytes = blockOverheadBytes(tenantId);
      let previous = head;
      for (const input of inputs) {
        // Sealed with one canonicalisation; the stored copy is detached from the caller's objects.
        const entry = sealEntry(
          Object.assign({}, input, {
            id: auditIdOf(input),
            seq: previous.seq + 1,
            createdAt,
            prevHash: previous.hash,
          }),
        );
        if (inputs.length === 1) {
          entries.push(entry);
          break;
        }
        const part = blockEntryJson(entry);
        // +1 for the comma that joins it; counted in UTF-8 bytes, exactly as stored.
        const size = Buffer.byteLength(part, 'utf8') + 1;
        if (entries.length > 0 && bytes + size > MAX_ITEM_BYTES) break;
        bytes += size;
        entries.push(entry);
        parts.push(part);
        previous = { seq: entry.seq, hash: entry.hash };
      }
      const last = entries.at(-1)!;
      // A block of one is written in the single-entry form (the common case: one append in flight).
      const item = entries.length === 1 ? toLedgerItem(entries[0]!) : blockItem(tenantId, entries[0]!.seq, parts);
      if (ledgerItemBytes(item) > MAX_ITEM_BYTES) throw new EntryTooLarge();
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tables.ledger,
            Item: item,
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        );
        this.heads.set(tenantId, { seq: last.seq, hash: last.hash });
        return entries;
      } catch (error) {
        this.heads.delete(tenantId);
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
    const last = latest === undefined ? undefined : entriesOfItem(latest).at(-1);
    return last ? { seq: Number(last.seq), hash: String(last.hash) } : { seq: 0, hash: GENESIS_HASH };
  }
}

/** The caller's id when it chose a well-formed one (the verifier does, see AuditEntryInput.id), else a new one. */
function auditIdOf(input: AuditEntryInput): string {
  return typeof input.id === 'string' && AUDIT_ID_PATTERN.test(input.id)
    ? input.id
    : `aud_${randomUUID().replaceAll('-', '')}`;
}

/** One entry alone is larger than an item may be: only its own append fails (a 400, never another caller's 503). */
class EntryTooLarge extends KakuninError {
  constructor() {
    super('INVALID_REQUEST', 'the audit entry is larger than a ledger item may be');
  }
}
