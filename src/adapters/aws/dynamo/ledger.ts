/**
 * The audit ledger: one hash chain and one RFC 9162 Merkle tree per tenant in the ledger table (pk = tenant, sk = seq
 * of an item's first entry; layout in ledger-item.ts). Only PutItem and Query are used, because the deployed table's
 * resource policy denies every update and delete.
 *
 * append: read the head (cached per process after the first read: last seq, its hash and the Merkle frontier), build
 * entry seq+1 linked to the head's hash, hash its leaf into the frontier, and PutItem conditional on
 * `attribute_not_exists(sk)`. Exactly one writer can create each seq, so the chain and the tree stay gapless and
 * linear across any number of processes: a writer's tree hashes derive only from the head it won the put with. A
 * loser refreshes the head and retries with jitter until a time budget runs out (not a small attempt count: N Lambda
 * containers racing for one tenant's head need up to N rounds, and a burst of other callers' requests must not turn
 * this caller's audit into a 503), then fails with a DependencyError (the caller answers 503). Appends from one process are serialised per tenant, so in-process concurrency costs no conflicts at all.
 *
 * Group commit: appends that arrive while a write of the same tenant is in flight queue up and are written together
 * by the next conditional PutItem as one item (up to 25 entries). An item is sized by the bytes actually stored
 * (`ledgerItemBytes`, UTF-8, as DynamoDB counts) and closed before it would pass MAX_ITEM_BYTES, so no entry's
 * content can make a write holding other callers' entries fail: the entries that do not fit go to the next item. Each
 * append's promise resolves only after the PutItem holding its entry succeeded, and a failed write rejects every
 * append in it, so "audit before answer" holds.
 */

import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DependencyError, invalidRequest, KakuninError } from '../../../core/errors.js';
import { newAuditId } from '../../../core/ledger/audit-id.js';
import { appendLeaf, type Hash, leafHash } from '../../../core/ledger/merkle.js';
import { checkStoredLog } from '../../../core/ledger/stored-log-check.js';
import { GENESIS_HASH, sealLeaf } from '../../../core/ledger-hash.js';
import type { AuditEntry, AuditEntryInput } from '../../../core/model.js';
import type { AuditQuery, Clock, Ledger, LedgerVerification, Page, StoredLeaf, TreeHead } from '../../../ports.js';
import { call, isConditionalFailure, jitter, toDependencyError } from './dynamo-support.js';
import {
  entryOfLeaf,
  itemOverheadBytes,
  leafBytes,
  ledgerItemBytes,
  MAX_BLOCK_ENTRIES,
  MAX_ITEM_BYTES,
  readLedgerItem,
  toLedgerItem,
} from './ledger-item.js';
import { listLedger } from './ledger-list.js';
import { readFrontierAt, readSubtreeHashes, scanLedger } from './ledger-tree.js';
import type { TableNames } from './tables.js';

interface Head {
  /** Last seq; -1 for an empty ledger. */
  seq: number;
  hash: string;
  frontier: Hash[];
}

interface PendingAppend {
  input: AuditEntryInput;
  resolve(entry: AuditEntry): void;
  reject(error: unknown): void;
}

export interface DynamoLedgerOptions {
  /** Conditional-put attempts per append before giving up with a DependencyError. @default 1000 */
  maxAttempts?: number;
  /**
   * Wall-clock time an append keeps retrying lost races before giving up, in ms. Well under the verify function's
   * 10 s timeout; at DynamoDB's ~1,000 puts/s per partition it absorbs a burst of thousands of concurrent appenders.
   * @default 4000
   */
  raceBudgetMs?: number;
  /** Query pages one list() call reads at most before returning a short page with a cursor. @default 10 */
  maxPagesPerList?: number;
}

const systemClock: Clock = { now: () => Date.now() };

const INPUT_FIELDS = [
  'tenantId',
  'actorId',
  'type',
  'errorCode',
  'payload',
  'signature',
  'certificateFingerprint',
  'nonce',
  'timestamp',
  'riskScore',
  'origin',
] as const satisfies readonly (keyof AuditEntryInput)[];

/** Only the known input fields (a caller's extra properties never reach the ledger). */
function pickInput(input: AuditEntryInput): AuditEntryInput {
  const picked: Record<string, unknown> = {};
  for (const field of INPUT_FIELDS) {
    if (input[field] !== undefined) picked[field] = input[field];
  }
  return picked as unknown as AuditEntryInput;
}

export class DynamoLedger implements Ledger {
  private readonly heads = new Map<string, Head>();
  /** Appends waiting for the tenant's in-flight write; a tenant with an entry here has a flush running. */
  private readonly pending = new Map<string, PendingAppend[]>();
  private readonly maxAttempts: number;
  private readonly raceBudgetMs: number;
  private readonly maxPagesPerList: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly clock: Clock = systemClock,
    options: DynamoLedgerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 1000;
    this.raceBudgetMs = options.raceBudgetMs ?? 4000;
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

  scan(tenantId: string, from: number, to?: number): AsyncIterable<StoredLeaf> {
    return scanLedger(this.doc, this.tables.ledger, tenantId, from, to);
  }

  async head(tenantId: string): Promise<TreeHead> {
    const head = await this.readHead(tenantId);
    return { size: head.seq + 1, frontier: head.frontier };
  }

  frontierAt(tenantId: string, size: number): Promise<Hash[]> {
    return readFrontierAt(this.doc, this.tables.ledger, tenantId, size);
  }

  subtreeHashes(tenantId: string, ranges: readonly [number, number][]): Promise<Hash[]> {
    return readSubtreeHashes(this.doc, this.tables.ledger, tenantId, ranges);
  }

  async verify(tenantId: string): Promise<LedgerVerification> {
    return checkStoredLog(this.scan(tenantId, 0));
  }

  /** Writes the tenant's queued appends, one item per PutItem, until the queue is empty. */
  private async flush(tenantId: string): Promise<void> {
    for (;;) {
      const queue = this.pending.get(tenantId);
      if (queue === undefined || queue.length === 0) {
        this.pending.delete(tenantId);
        return;
      }
      const batch = queue.splice(0, MAX_BLOCK_ENTRIES);
      try {
        const entries = await this.writeItem(batch.map((append) => append.input));
        // Appends that did not fit in this item's bytes go first into the next one.
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
  private async writeItem(inputs: AuditEntryInput[]): Promise<AuditEntry[]> {
    const tenantId = inputs[0]!.tenantId;
    // Monotonic time, not the injected clock: the budget bounds real waiting, whatever time the entries carry.
    const deadline = performance.now() + this.raceBudgetMs;
    for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
      if (attempt > 0) {
        if (performance.now() >= deadline) break;
        await jitter(attempt, 5, 50);
      }
      const head = this.heads.get(tenantId) ?? (await this.readHead(tenantId));
      const createdAt = new Date(this.clock.now()).toISOString();
      const entries: AuditEntry[] = [];
      const leaves: StoredLeaf[] = [];
      let bytes = itemOverheadBytes(tenantId, head.frontier);
      let previous = head;
      for (const input of inputs) {
        const seq = previous.seq + 1;
        // Sealed with one canonicalisation; the stored copy is detached from the caller's objects.
        const { entry, leaf } = sealLeaf(
          Object.assign({}, input, { id: newAuditId(seq), seq, createdAt, prevHash: previous.hash }),
        );
        const { frontier, completed } = appendLeaf(previous.frontier, seq, leafHash(leaf));
        const stored: StoredLeaf = { seq, leaf, nodes: completed };
        const size = leafBytes(stored);
        if (bytes + size > MAX_ITEM_BYTES) {
          if (entries.length === 0) throw new EntryTooLarge();
          break;
        }
        bytes += size;
        entries.push(entry);
        leaves.push(stored);
        previous = { seq, hash: entry.hash, frontier };
      }
      const item = toLedgerItem(tenantId, leaves, head.frontier);
      if (ledgerItemBytes(item) > MAX_ITEM_BYTES) throw new EntryTooLarge();
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tables.ledger,
            Item: item,
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        );
        this.heads.set(tenantId, previous);
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
    if (latest === undefined) return { seq: -1, hash: GENESIS_HASH, frontier: [] };
    const contents = readLedgerItem(latest);
    let frontier = contents.frontier;
    let hash: unknown;
    for (const stored of contents.leaves) {
      frontier = appendLeaf(frontier, stored.seq, leafHash(stored.leaf)).frontier;
      hash = entryOfLeaf(stored).hash;
    }
    // Fail closed: never extend a chain from a head that cannot be read back (GET /v1/audit/verify names it).
    if (!contents.wellFormed || typeof hash !== 'string') throw new DependencyError('the ledger head is unreadable');
    return { seq: contents.leaves.at(-1)!.seq, hash, frontier };
  }
}

/** One entry alone is larger than an item may be: only its own append fails (a 400, never another caller's 503). */
class EntryTooLarge extends KakuninError {
  constructor() {
    super('INVALID_REQUEST', 'the audit entry is larger than a ledger item may be');
  }
}
