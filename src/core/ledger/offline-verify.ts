/**
 * What `kakunin audit verify` checks with nothing but the verifier key (docs/api.md §7):
 * - an export (JSON Lines of entries from seq 0) against a signed checkpoint: every line is the JCS form of its entry,
 *   seqs run from 0 without a gap, every hash and link recomputes, and the root of the first `size` leaves is the
 *   checkpoint's root. It names the first line or entry that fails.
 * - two signed checkpoints and the consistency proof between them (`GET /v1/audit/consistency`): the newer extends
 *   the older.
 */
import { canonicalString } from '../canonical-json.js';
import { entryHash, GENESIS_HASH } from '../ledger-hash.js';
import type { AuditEntry } from '../model.js';
import { type Checkpoint, parseCheckpointText } from './checkpoint.js';
import { appendLeaf, type Hash, leafHash, rootOfFrontier, sameHash } from './merkle.js';
import { verifyConsistency } from './proofs.js';
import { openNote, parseVerifierKey } from './signed-note.js';

export type OfflineVerdict = { ok: true; message: string } | { ok: false; message: string };

export function openCheckpoint(vkey: string, note: string): Checkpoint {
  return parseCheckpointText(openNote(note, parseVerifierKey(vkey)));
}

export function verifyExport(vkey: string, note: string, lines: Iterable<string>): OfflineVerdict {
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(vkey, note);
  } catch (error) {
    return { ok: false, message: `checkpoint: ${(error as Error).message}` };
  }
  let frontier: Hash[] = [];
  let prevHash = GENESIS_HASH;
  let seq = 0;
  let lineNumber = 0;
  for (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let entry: AuditEntry;
    try {
      entry = JSON.parse(line) as AuditEntry;
    } catch {
      return { ok: false, message: `line ${lineNumber}: not JSON` };
    }
    const at = `line ${lineNumber} (seq ${String(entry.seq)})`;
    if (entry.seq !== seq) return { ok: false, message: `${at}: expected seq ${seq}` };
    if (canonicalString(entry) !== line) return { ok: false, message: `${at}: not in JCS form (altered?)` };
    if (entry.prevHash !== prevHash) return { ok: false, message: `${at}: prevHash does not link` };
    if (entryHash(entry) !== entry.hash) return { ok: false, message: `${at}: hash does not match contents` };
    if (seq < checkpoint.size) frontier = appendLeaf(frontier, seq, leafHash(line)).frontier;
    prevHash = entry.hash;
    seq += 1;
  }
  if (seq < checkpoint.size) {
    return {
      ok: false,
      message: `the export ends at seq ${seq - 1}; the checkpoint covers ${checkpoint.size} entries`,
    };
  }
  if (!sameHash(rootOfFrontier(frontier), checkpoint.rootHash)) {
    return {
      ok: false,
      message: `entries 0–${checkpoint.size - 1} do not produce the root signed in the checkpoint of size ${checkpoint.size}`,
    };
  }
  return { ok: true, message: `${seq} entries verified; the first ${checkpoint.size} match the signed checkpoint` };
}

export function verifyCheckpointConsistency(
  vkey: string,
  olderNote: string,
  newerNote: string,
  proofJson: string,
): OfflineVerdict {
  let older: Checkpoint;
  let newer: Checkpoint;
  try {
    older = openCheckpoint(vkey, olderNote);
  } catch (error) {
    return { ok: false, message: `older checkpoint: ${(error as Error).message}` };
  }
  try {
    newer = openCheckpoint(vkey, newerNote);
  } catch (error) {
    return { ok: false, message: `newer checkpoint: ${(error as Error).message}` };
  }
  if (older.origin !== newer.origin) return { ok: false, message: 'the checkpoints are of different logs' };
  let proof: Hash[];
  try {
    const parsed = JSON.parse(proofJson) as { from?: unknown; to?: unknown; consistencyProof?: unknown };
    if (parsed.from !== older.size || parsed.to !== newer.size || !Array.isArray(parsed.consistencyProof)) {
      return { ok: false, message: `the proof is not for sizes ${older.size} → ${newer.size}` };
    }
    proof = parsed.consistencyProof.map((h) => new Uint8Array(Buffer.from(String(h), 'base64')));
  } catch {
    return { ok: false, message: 'the consistency proof is not JSON' };
  }
  return verifyConsistency(older.size, newer.size, proof, older.rootHash, newer.rootHash)
    ? { ok: true, message: `the checkpoint of size ${newer.size} extends the one of size ${older.size}` }
    : {
        ok: false,
        message: `the consistency proof ${older.size} → ${newer.size} does not verify: the log was rewritten`,
      };
}
