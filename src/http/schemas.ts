/**
 * Request schemas (docs/api.md §2–§3). Objects are strict: an unknown field is refused with its name rather than
 * silently ignored, because a misspelled scope limit ignored would mean an agent with no limit at all.
 *
 * Written with `zod/mini` (the functional API) and imported as a namespace: esbuild then bundles only the checks
 * used (≈ 25 KB), where `import { z } from 'zod'` bundles all of zod with its ~40 locales (≈ 440 KB). The English
 * messages are configured once here, exactly as `zod` itself does on import. docs/deploy.md has the measurements.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { FINGERPRINT_PATTERN } from '../core/crypto/fingerprint.js';
import { AGENT_ID_PATTERN } from '../core/model.js';
import { AMOUNT_BOUNDS_RULE, isCountableAmount } from '../core/scope/amount-bounds.js';

z.config(en());

export { AGENT_ID_PATTERN };
export const TENANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_METADATA_BYTES = 4 * 1024;

const threshold = z.number().check(z.minimum(0), z.maximum(1));
const mode = z.enum(['observe', 'enforce']);
/**
 * A `__proto__` key is refused by name before the record is copied: zod's copy drops it (assigning it would set the
 * copy's prototype), so the agent's metadata would silently lose a key the caller sent.
 */
const noProtoKey = z.custom<unknown>(
  (value) => typeof value !== 'object' || value === null || !Object.hasOwn(value, '__proto__'),
  { message: 'metadata may not have a __proto__ key' },
);
const metadata = z.pipe(noProtoKey, z.record(z.string(), z.unknown())).check(
  z.refine((value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_METADATA_BYTES, {
    message: `metadata is limited to ${MAX_METADATA_BYTES} bytes of JSON`,
  }),
);

export const createAgentSchema = z.strictObject({
  name: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,128}$/, 'name is 1-128 characters of [A-Za-z0-9._-]')),
  metadata: z.optional(metadata),
  mode: z.optional(mode),
  warningThreshold: z.optional(threshold),
  anomalyThreshold: z.optional(threshold),
});

export const patchAgentSchema = z
  .strictObject({
    mode: z.optional(mode),
    warningThreshold: z.optional(threshold),
    anomalyThreshold: z.optional(threshold),
    metadata: z.optional(metadata),
    status: z.optional(z.enum(['active', 'suspended'])),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, { message: 'name at least one field to change' }));

/** An agent id in a body: checked here so an id no store could hold (e.g. 60 KB long) is a 400, never a 503. */
const agentIdSchema = z.string().check(z.regex(AGENT_ID_PATTERN, 'an agent id is a_ + 16-64 characters of [0-9a-z]'));

export const createApiKeySchema = z.strictObject({
  role: z.enum(['admin', 'verifier', 'agent']),
  agentId: z.optional(agentIdSchema),
});

/** Characters are code points, as the core counts them (an item of 128 emoji is 128 characters, not 256). */
const codePoints = (text: string): number => {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
};
const listEntry = z.string().check(
  z.minLength(1),
  z.refine((text) => codePoints(text) <= 128, { message: 'a list item is 1-128 characters' }),
);
/** An amount limit: ≥ 0 and on the grid the velocity counters hold exactly (amount-bounds.ts). */
const amountLimit = z
  .number()
  .check(
    z.minimum(0),
    z.refine(isCountableAmount, { message: `${AMOUNT_BOUNDS_RULE} (the counters hold 38 digits exactly)` }),
  );
export const scopeSchema = z.strictObject({
  maxTransactionSize: z.optional(amountLimit),
  currency: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code'))),
  allowedCounterparties: z.optional(z.array(listEntry)),
  allowedActions: z.optional(z.array(listEntry)),
  allowedRegions: z.optional(z.array(listEntry)),
  maxTransactionsPerHour: z.optional(z.int().check(z.minimum(1))),
  maxDailyVolume: z.optional(amountLimit),
});

export const fingerprintSchema = z
  .string()
  .check(z.regex(FINGERPRINT_PATTERN, 'a fingerprint is sha256: + 64 lowercase hex'));

export const issueCertificateSchema = z
  .strictObject({
    validityDays: z.optional(z.int().check(z.minimum(1), z.maximum(365))),
    validityHours: z.optional(z.int().check(z.minimum(1), z.maximum(8760))),
    scope: scopeSchema,
    csr: z.optional(z.string().check(z.minLength(1), z.maxLength(16_384))),
    keySpec: z.optional(z.enum(['ECC_NIST_P256', 'RSA_2048'])),
    parentFingerprint: z.optional(fingerprintSchema),
  })
  .check(
    z.refine((body) => body.validityDays === undefined || body.validityHours === undefined, {
      message: 'give validityDays or validityHours, not both',
      path: ['validityHours'],
    }),
    z.refine((body) => body.csr === undefined || body.keySpec === undefined, {
      message: 'give csr or keySpec, not both',
      path: ['keySpec'],
    }),
  );

/**
 * `payload` is validated by `parsePayload`, the verifier's own payload rule, on the raw parsed JSON: an object schema
 * here would copy the payload first and silently drop what the verifier refuses (an own `__proto__` key becomes a
 * prototype on copy), so the service would sign something other than what was sent.
 */
export const signRequestSchema = z.strictObject({
  payload: z.unknown(),
  certificateFingerprint: fingerprintSchema,
});

export const revokeSchema = z.strictObject({
  reason: z.enum(['keyCompromise', 'superseded', 'cessationOfOperation', 'anomaly', 'unspecified']),
});

export const listQuerySchema = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
});

export const tenantQuerySchema = z.object({
  tenant: z.optional(z.string().check(z.regex(TENANT_ID_PATTERN, 'tenant is 1-64 characters of [A-Za-z0-9_-]'))),
});

/**
 * `POST /v1/actions/verify` may wrap the envelope with where the action came from (docs/api.md §4):
 * `{"envelope": {…}, "origin": {"ip"?, "userAgent"?, "region"?}}`. The envelope itself is checked by the verifier.
 */
export const verifyWrapperSchema = z.strictObject({
  envelope: z.unknown(),
  origin: z.optional(
    z.strictObject({
      ip: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
      userAgent: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
      region: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    }),
  ),
});
