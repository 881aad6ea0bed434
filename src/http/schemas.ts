/**
 * Request schemas (contract §2–§3). Objects are strict: an unknown field is refused with its name rather than
 * silently ignored, because a misspelled scope limit ignored would mean an agent with no limit at all.
 */
import { z } from 'zod';
import { FINGERPRINT_PATTERN } from '../core/crypto/fingerprint.js';

export const AGENT_ID_PATTERN = /^a_[0-9a-z]{16,64}$/;
export const TENANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_METADATA_BYTES = 4 * 1024;

const threshold = z.number().min(0).max(1);
const mode = z.enum(['observe', 'enforce']);
const metadata = z
  .record(z.string(), z.unknown())
  .refine((value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_METADATA_BYTES, {
    message: `metadata is limited to ${MAX_METADATA_BYTES} bytes of JSON`,
  });

export const createAgentSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'name is 1-128 characters of [A-Za-z0-9._-]'),
  metadata: metadata.optional(),
  mode: mode.optional(),
  warningThreshold: threshold.optional(),
  anomalyThreshold: threshold.optional(),
});

export const patchAgentSchema = z
  .strictObject({
    mode: mode.optional(),
    warningThreshold: threshold.optional(),
    anomalyThreshold: threshold.optional(),
    metadata: metadata.optional(),
    status: z.enum(['active', 'suspended']).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'name at least one field to change' });

export const createApiKeySchema = z.strictObject({
  role: z.enum(['admin', 'verifier', 'agent']),
  agentId: z.string().optional(),
});

const listEntry = z.string().min(1).max(128);
export const scopeSchema = z.strictObject({
  maxTransactionSize: z.number().min(0).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code')
    .optional(),
  allowedCounterparties: z.array(listEntry).optional(),
  allowedActions: z.array(listEntry).optional(),
  allowedRegions: z.array(listEntry).optional(),
  maxTransactionsPerHour: z.number().int().min(1).optional(),
  maxDailyVolume: z.number().min(0).optional(),
});

export const fingerprintSchema = z.string().regex(FINGERPRINT_PATTERN, 'a fingerprint is sha256: + 64 lowercase hex');

export const issueCertificateSchema = z
  .strictObject({
    validityDays: z.number().int().min(1).max(365).optional(),
    validityHours: z.number().int().min(1).max(8760).optional(),
    scope: scopeSchema,
    csr: z.string().min(1).max(16_384).optional(),
    keySpec: z.enum(['ECC_NIST_P256', 'RSA_2048']).optional(),
    parentFingerprint: fingerprintSchema.optional(),
  })
  .refine((body) => body.validityDays === undefined || body.validityHours === undefined, {
    message: 'give validityDays or validityHours, not both',
    path: ['validityHours'],
  })
  .refine((body) => body.csr === undefined || body.keySpec === undefined, {
    message: 'give csr or keySpec, not both',
    path: ['keySpec'],
  });

export const signRequestSchema = z.strictObject({
  payload: z.looseObject({ action: z.string() }),
  certificateFingerprint: fingerprintSchema,
});

export const revokeSchema = z.strictObject({
  reason: z.enum(['keyCompromise', 'superseded', 'cessationOfOperation', 'anomaly', 'unspecified']),
});

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(512).optional(),
});

export const tenantQuerySchema = z.object({
  tenant: z.string().regex(TENANT_ID_PATTERN, 'tenant is 1-64 characters of [A-Za-z0-9_-]').optional(),
});
