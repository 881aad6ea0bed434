/**
 * The deployment's single typed configuration (design principle 8): read once from CDK context (`cdk.json` or
 * `-c kakunin='{"…"}'`/individual keys), validated with zod, then passed to every stack as props. A typo in a context
 * key fails the synth instead of silently deploying a default.
 */
import * as z from 'zod';

/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const tenantId = z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/, 'tenant ids are 3–63 of [a-z0-9-]');

export const kakuninConfigSchema = z
  .object({
    /** Target account and region; both undefined means environment-agnostic (synth anywhere, deploy with the CLI's). */
    account: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
      .optional(),
    /** Prefix of stack names, so two deployments can live in one account. */
    stackPrefix: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,30}$/)
      .default('Kakunin'),
    /** The tenant created on first deploy (its issuing CA); its first admin key is minted on demand (docs/deploy.md). */
    bootstrapTenantId: tenantId.default('default'),
    /** Private OID arc of the scope extension (docs/api.md §3); unset uses the service's built-in default. */
    scopeOid: z
      .string()
      .regex(/^\d+(\.\d+)+$/)
      .optional(),
    /** Contract §4 check 3. */
    timestampWindowSeconds: z.number().int().min(1).max(3600).default(300),
    /** Public base URL (custom domain) for CRL distribution points; unset uses the API's execute-api URL. */
    publicBaseUrl: z.url().optional(),
    retention: z
      .object({
        /** Object Lock COMPLIANCE retention of ledger checkpoints and CRLs; EU AI Act Art. 19 asks ≥ 6 months. */
        artifactDays: z.number().int().min(180).max(36_500).default(180),
        /** EventBridge archive retention. */
        eventArchiveDays: z.number().int().min(1).max(3_650).default(90),
        /** Kinesis retention (24 h is the cheapest; consumers must keep up within it). */
        streamHours: z.number().int().min(24).max(8_760).default(24),
        /** CloudWatch log retention for function and access logs. */
        logDays: z
          .number()
          .int()
          .refine((d) => LOG_RETENTION_DAYS.includes(d), `one of ${LOG_RETENTION_DAYS.join(', ')}`)
          .default(90),
      })
      .strict()
      .prefault({}),
    /** Kinesis capacity: a shard count (provisioned) or 'on-demand'. */
    streamCapacity: z.union([z.number().int().min(1).max(500), z.literal('on-demand')]).default(1),
    api: z
      .object({
        throttleRateLimit: z.number().int().min(1).default(500),
        throttleBurstLimit: z.number().int().min(1).default(1_000),
        /** How long API Gateway caches an authorizer decision; a revoked API key stays usable this long. */
        authorizerCacheSeconds: z.number().int().min(0).max(3_600).default(60),
        /** Attach an AWS WAF web ACL (managed common + known-bad-inputs rules and a per-IP rate rule). */
        waf: z.boolean().default(false),
        wafRateLimitPer5Min: z.number().int().min(100).default(2_000),
        /** Per API key (the `Authorization` header): one key cannot spend the stage budget every caller shares. */
        wafRateLimitPerKeyPer5Min: z.number().int().min(100).default(60_000),
      })
      .strict()
      .prefault({}),
    alarms: z
      .object({
        /** Email subscribed to the alarm topic; unset creates the topic without subscribers. */
        email: z.email().optional(),
        apiP99LatencyMs: z.number().positive().default(1_000),
        api5xxPerFiveMinutes: z.number().int().min(1).default(5),
        lambdaErrorsPerFiveMinutes: z.number().int().min(1).default(5),
        /** KMS asymmetric Sign quota the issuance widget draws against (requests/s, account-wide, per region). */
        kmsSignQuotaPerSecond: z.number().int().min(1).default(300),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type KakuninConfig = z.infer<typeof kakuninConfigSchema>;
export type KakuninConfigInput = z.input<typeof kakuninConfigSchema>;

/**
 * Validates raw configuration (the `kakunin` context object). Throws one readable error listing every problem.
 * @example configFromInput({ account: '123456789012', region: 'eu-central-1', retention: { artifactDays: 365 } })
 */
export function configFromInput(input: unknown): KakuninConfig {
  const parsed = kakuninConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid kakunin config: ${problems.join('; ')}`);
  }
  if ((parsed.data.account === undefined) !== (parsed.data.region === undefined)) {
    throw new Error('invalid kakunin config: give both account and region, or neither');
  }
  return parsed.data;
}

/** Reads the `kakunin` context key (an object in cdk.json, or a JSON string from `-c kakunin=…`). */
export function configFromContext(node: { tryGetContext(key: string): unknown }): KakuninConfig {
  const raw = node.tryGetContext('kakunin');
  if (typeof raw === 'string') {
    try {
      return configFromInput(JSON.parse(raw));
    } catch (error) {
      if (error instanceof SyntaxError) throw new Error('invalid kakunin config: context "kakunin" is not JSON');
      throw error;
    }
  }
  return configFromInput(raw);
}
