/**
 * How an audit entry is stored in the ledger table: pk = tenant id, sk = seq (N), every other field as a top-level
 * attribute, and `payload` (caller JSON of any shape) as JSON text so it round-trips byte-exactly through DynamoDB's
 * number and map rules. Reading reverses this exactly, so the hash recomputed by verify() covers every stored
 * attribute: a changed, added or removed attribute breaks the entry's hash.
 */
import type { AuditEntry, AuditEntryInput } from '../../../core/model.js';

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
] as const satisfies readonly (keyof AuditEntryInput)[];

/** Only the known input fields, JSON-cloned (drops undefined, so the hash is stable across a store round trip). */
export function pickInput(input: AuditEntryInput): AuditEntryInput {
  const picked: Record<string, unknown> = {};
  for (const field of INPUT_FIELDS) {
    if (input[field] !== undefined) picked[field] = input[field];
  }
  return JSON.parse(JSON.stringify(picked)) as AuditEntryInput;
}

export function toLedgerItem(entry: AuditEntry): Record<string, unknown> {
  const { seq, payload, ...rest } = entry;
  return {
    pk: entry.tenantId,
    sk: seq,
    ...rest,
    ...(payload === undefined ? {} : { payloadJson: JSON.stringify(payload) }),
  };
}

export function fromLedgerItem(item: Record<string, unknown>): AuditEntry {
  const { pk: _pk, sk, payloadJson, ...rest } = item;
  const entry: Record<string, unknown> = { ...rest, seq: Number(sk) };
  if (payloadJson !== undefined) entry.payload = parsePayload(payloadJson);
  return entry as unknown as AuditEntry;
}

/** A payload that no longer parses was tampered with: keep it visible (and hash-breaking) rather than throw. */
function parsePayload(text: unknown): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    return { unparseableStoredPayload: String(text) };
  }
}
