/**
 * The action stream's record format: the JSON of a `VerifiedAction` (src/adapters/aws/kinesis-action-stream.ts writes
 * it). The consumer treats every record as untrusted bytes: anything that does not parse into exactly this shape is a
 * poison record, reported as a failure so the stream's retry and on-failure destination deal with it.
 */
import * as z from 'zod';
import { payloadSchema } from '../envelope/schema.js';
import type { VerifiedAction } from '../model.js';
import { originSchema } from './origin.js';

const epochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const recordId = z.string().min(1).max(128);

/**
 * `actionId` (the verifier's (tenant, certificate, nonce) id) since the publish runs beside the ledger append. A record
 * written by a verifier of the previous release carries `auditId` instead, which is just as unique per action: it is
 * accepted as the action id, so a stream being drained across an upgrade loses nothing. Exactly one of the two.
 */
const verifiedActionSchema = z
  .strictObject({
    tenantId: z.string().min(1).max(128),
    agentId: z.string().min(1).max(256),
    certificateFingerprint: z.string().min(1).max(128),
    actionId: recordId.optional(),
    auditId: recordId.optional(),
    payload: payloadSchema,
    timestamp: epochMs,
    verifiedAt: epochMs,
    origin: originSchema.optional(),
  })
  .refine((record) => (record.actionId === undefined) !== (record.auditId === undefined));

/** The action a record carries, or undefined for a poison record (bad base64, bad JSON, wrong shape). */
export function decodeActionRecord(base64Data: unknown): VerifiedAction | undefined {
  if (typeof base64Data !== 'string') return undefined;
  try {
    const parsed = verifiedActionSchema.safeParse(JSON.parse(Buffer.from(base64Data, 'base64').toString('utf8')));
    if (!parsed.success) return undefined;
    const { actionId, auditId, ...rest } = parsed.data;
    return { ...rest, actionId: (actionId ?? auditId) as string } as VerifiedAction;
  } catch {
    return undefined;
  }
}
