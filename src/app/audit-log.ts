/**
 * The ledger as a transparency log (docs/api.md §7): signed checkpoints (C2SP tlog-checkpoint as a signed-note,
 * Ed25519 key in the key vault), their tiles in the archive, inclusion and consistency proofs from the stored tree,
 * and the full check of the stored log against every signed checkpoint.
 *
 * A checkpoint is never signed over stored tree hashes alone: `publish` re-reads the entries added since the last
 * checkpoint, recomputes their leaf hashes, chain links and tree nodes from the leaf texts, extends the last signed
 * root's frontier (itself checked against that signed root), and refuses to sign if anything disagrees.
 */
import { KakuninError } from '../core/errors.js';
import { checkpointText, logOrigin, parseCheckpointText } from '../core/ledger/checkpoint.js';
import { appendLeaf, type Hash, leafHash, rootOfFrontier, sameHash } from '../core/ledger/merkle.js';
import { consistencyRanges, decomposeRange, foldRight, inclusionRanges, type Range } from '../core/ledger/proofs.js';
import { keyHash, openNote, rawEd25519FromSpki, signNote, verifierKey } from '../core/ledger/signed-note.js';
import { checkStoredLog, type SignedRoot, type StoredLogCheck } from '../core/ledger/stored-log-check.js';
import { newTiles, TILE_HEIGHT, tilePath, tileRanges } from '../core/ledger/tiles.js';
import { entryHash } from '../core/ledger-hash.js';
import type { AuditEntry } from '../core/model.js';
import type {
  CheckpointStore,
  Clock,
  EventPublisher,
  KeyVault,
  Ledger,
  LogArchive,
  StoredCheckpoint,
} from '../ports.js';
import { LedgerIntegrityError, locateInTiles } from './audit-log-support.js';

export interface AuditLogDeps {
  ledger: Ledger;
  checkpoints: CheckpointStore;
  archive: LogArchive;
  vault: KeyVault;
  events: EventPublisher;
  clock: Clock;
  /** The Ed25519 checkpoint key in the vault (resolved once, lazily: local mode and tests create it on first use). */
  checkpointKeyId: () => Promise<string>;
  /** `<host>` of the origin line `<host>/kakunin/<tenant id>`. */
  logHost: string;
  /** A served checkpoint covers every entry written more than this long ago (60 s deployed, 2 s local). */
  coverageMs: number;
}

export interface InclusionProofAnswer {
  entry: AuditEntry;
  index: number;
  treeSize: number;
  inclusionProof: string[];
  checkpoint: string;
}

const b64 = (hash: Hash) => Buffer.from(hash).toString('base64');
const AUDIT_ID = /^aud_([0-9a-f]{16})[0-9a-f]{16}$/;

export class AuditLogService {
  private publicKey: Uint8Array | undefined;

  constructor(private readonly deps: AuditLogDeps) {}

  origin(tenantId: string): string {
    return logOrigin(this.deps.logHost, tenantId);
  }

  async verifierKey(tenantId: string): Promise<string> {
    return verifierKey(this.origin(tenantId), await this.key());
  }

  /** The latest checkpoint, first publishing a new one when the stored one may miss entries older than coverageMs. */
  async currentCheckpoint(tenantId: string): Promise<StoredCheckpoint> {
    const latest = await this.deps.checkpoints.latest(tenantId);
    if (latest !== undefined && this.deps.clock.now() - latest.createdAt <= this.deps.coverageMs) return latest;
    return this.publish(tenantId);
  }

  /** Signs, archives, stores and announces a checkpoint of the current tree (the latest one if nothing was added). */
  async publish(tenantId: string): Promise<StoredCheckpoint> {
    const latest = await this.deps.checkpoints.latest(tenantId);
    const head = await this.deps.ledger.head(tenantId);
    const from = latest === undefined ? 0 : parseCheckpointText(await this.open(tenantId, latest.note)).size;
    if (latest !== undefined && head.size <= from) return latest;
    const recomputed = await this.recompute(tenantId, from, head.size, latest);
    const rootHash = rootOfFrontier(recomputed.frontier);
    const text = checkpointText({ origin: this.origin(tenantId), size: head.size, rootHash });
    const publicKey = await this.key();
    const keyId = await this.deps.checkpointKeyId();
    const note = await signNote(text, this.origin(tenantId), publicKey, (message) =>
      this.deps.vault.sign(keyId, message, 'ED25519'),
    );
    await this.writeTiles(tenantId, from, head.size, recomputed.nodes);
    await this.deps.archive.put(tenantId, `checkpoints/${String(head.size).padStart(20, '0')}`, Buffer.from(note));
    await this.deps.archive.put(tenantId, 'checkpoint', Buffer.from(note));
    const stored = await this.deps.checkpoints.put(tenantId, {
      size: head.size,
      note,
      createdAt: this.deps.clock.now(),
    });
    await this.deps.events.publish({
      id: `evt_${stored.size}_${Buffer.from(rootHash).toString('hex').slice(0, 16)}`,
      type: 'ledger.checkpoint_published',
      createdAt: new Date(stored.createdAt).toISOString(),
      tenantId,
      data: {
        origin: this.origin(tenantId),
        tree_size: stored.size,
        root_hash: b64(rootHash),
        checkpoint: stored.note,
      },
    });
    return stored;
  }

  async inclusionProof(tenantId: string, id: string, treeSize?: number): Promise<InclusionProofAnswer> {
    const match = AUDIT_ID.exec(id);
    const notFound = () => new KakuninError('NOT_FOUND', 'no such audit entry');
    if (match === null) throw notFound();
    const index = Number.parseInt(match[1]!, 16);
    let stored: { leaf: string } | undefined;
    for await (const leaf of this.deps.ledger.scan(tenantId, index, index + 1)) stored = leaf;
    const entry = stored === undefined ? undefined : (JSON.parse(stored.leaf) as AuditEntry);
    if (entry?.id !== id) throw notFound();
    const checkpoint = await this.checkpointFor(tenantId, index, treeSize);
    const size = parseCheckpointText(await this.open(tenantId, checkpoint.note)).size;
    const proof = await this.rangeHashes(tenantId, inclusionRanges(index, size));
    return { entry, index, treeSize: size, inclusionProof: proof.map(b64), checkpoint: checkpoint.note };
  }

  async consistencyProof(tenantId: string, from: number, to: number): Promise<string[]> {
    const head = await this.deps.ledger.head(tenantId);
    if (!Number.isSafeInteger(from) || from < 1)
      throw new KakuninError('INVALID_REQUEST', 'from must be ≥ 1', { field: 'from' });
    if (!Number.isSafeInteger(to) || to < from || to > head.size) {
      throw new KakuninError('INVALID_REQUEST', `to must be between from and the tree size ${head.size}`, {
        field: 'to',
      });
    }
    return (await this.rangeHashes(tenantId, consistencyRanges(from, to))).map(b64);
  }

  /** The stored log against itself and against every signed checkpoint (signatures checked first). */
  async verify(tenantId: string): Promise<StoredLogCheck> {
    const checkpoints: SignedRoot[] = [];
    for (const stored of await this.deps.checkpoints.list(tenantId)) {
      let parsed: ReturnType<typeof parseCheckpointText>;
      try {
        parsed = parseCheckpointText(await this.open(tenantId, stored.note));
      } catch {
        return {
          valid: false,
          entries: 0,
          firstInvalidSeq: 0,
          reason: `the stored checkpoint of size ${stored.size} does not verify`,
        };
      }
      if (parsed.size !== stored.size || parsed.origin !== this.origin(tenantId)) {
        return {
          valid: false,
          entries: 0,
          firstInvalidSeq: 0,
          reason: `the stored checkpoint of size ${stored.size} is not this log's`,
        };
      }
      checkpoints.push({ size: parsed.size, rootHash: parsed.rootHash, note: stored.note });
    }
    return checkStoredLog(this.deps.ledger.scan(tenantId, 0), {
      checkpoints,
      locate: (from, leaves) => locateInTiles(this.deps.archive, tenantId, from, leaves),
    });
  }

  private async checkpointFor(tenantId: string, index: number, treeSize?: number): Promise<StoredCheckpoint> {
    if (treeSize === undefined) {
      let checkpoint = await this.currentCheckpoint(tenantId);
      if (checkpoint.size <= index) checkpoint = await this.publish(tenantId);
      return checkpoint;
    }
    const match = (await this.deps.checkpoints.list(tenantId)).find((c) => c.size === treeSize);
    if (match === undefined || treeSize <= index) {
      throw new KakuninError('INVALID_REQUEST', 'treeSize must be the size of a published checkpoint above the entry', {
        field: 'treeSize',
      });
    }
    return match;
  }

  /** Hashes of proof ranges: each split into perfect subtrees, all read from the stored tree in one batch. */
  private async rangeHashes(tenantId: string, ranges: Range[]): Promise<Hash[]> {
    const parts = ranges.map(decomposeRange);
    const hashes = await this.deps.ledger.subtreeHashes(tenantId, parts.flat());
    let at = 0;
    return parts.map((range) => {
      const slice = hashes.slice(at, at + range.length);
      at += range.length;
      return foldRight(slice);
    });
  }

  /**
   * Entries [from, to) re-read and re-hashed: chain links, leaf hashes and the stored tree nodes must all agree, on top
   * of the frontier at `from`, which must match the last signed root. Returns the new frontier and every recomputed
   * perfect-subtree hash whose height is a multiple of the tile height (the tiles' contents).
   */
  private async recompute(tenantId: string, from: number, to: number, latest: StoredCheckpoint | undefined) {
    let frontier = await this.deps.ledger.frontierAt(tenantId, from);
    if (latest !== undefined) {
      const signed = parseCheckpointText(await this.open(tenantId, latest.note));
      if (!sameHash(rootOfFrontier(frontier), signed.rootHash)) {
        throw new LedgerIntegrityError(`the stored tree contradicts the signed checkpoint of size ${signed.size}`);
      }
    }
    let prevHash: string | undefined;
    if (from > 0) {
      for await (const leaf of this.deps.ledger.scan(tenantId, from - 1, from)) {
        prevHash = (JSON.parse(leaf.leaf) as AuditEntry).hash;
      }
    }
    const nodes = new Map<string, Hash>();
    let seq = from;
    for await (const stored of this.deps.ledger.scan(tenantId, from, to)) {
      const entry = JSON.parse(stored.leaf) as AuditEntry;
      if (stored.seq !== seq || entry.seq !== seq) throw new LedgerIntegrityError(`entry ${seq} is missing`);
      if ((prevHash !== undefined && entry.prevHash !== prevHash) || entryHash(entry) !== entry.hash) {
        throw new LedgerIntegrityError(`entry ${seq} does not link or hash`);
      }
      const appended = appendLeaf(frontier, seq, leafHash(stored.leaf));
      if (!appended.completed.every((hash, level) => sameHash(hash, stored.nodes[level]))) {
        throw new LedgerIntegrityError(`the stored tree hashes of entry ${seq} do not match it`);
      }
      appended.completed.forEach((hash, level) => {
        if (level % TILE_HEIGHT === 0) nodes.set(`${seq + 1 - 2 ** level},${seq + 1}`, hash);
      });
      frontier = appended.frontier;
      prevHash = entry.hash;
      seq += 1;
    }
    if (seq !== to) throw new LedgerIntegrityError(`entry ${seq} is missing`);
    return { frontier, nodes };
  }

  private async writeTiles(tenantId: string, from: number, to: number, fresh: Map<string, Hash>): Promise<void> {
    for (const tile of newTiles(from, to)) {
      const ranges = tileRanges(tile);
      const missing = ranges.filter(([s, e]) => !fresh.has(`${s},${e}`));
      const read = missing.length === 0 ? [] : await this.deps.ledger.subtreeHashes(tenantId, missing);
      const older = new Map(missing.map(([s, e], i) => [`${s},${e}`, read[i]!]));
      const hashes = ranges.map(([s, e]) => fresh.get(`${s},${e}`) ?? older.get(`${s},${e}`)!);
      await this.deps.archive.put(tenantId, tilePath(tile), Buffer.concat(hashes));
    }
  }

  private async open(tenantId: string, note: string): Promise<string> {
    const publicKey = await this.key();
    const name = this.origin(tenantId);
    return openNote(note, { name, keyHash: keyHash(name, publicKey), publicKey });
  }

  private async key(): Promise<Uint8Array> {
    this.publicKey ??= rawEd25519FromSpki(await this.deps.vault.getPublicKey(await this.deps.checkpointKeyId()));
    return this.publicKey;
  }
}
