/**
 * First-deploy bootstrap, two entry points in one bundle:
 *
 * - `handler`: the CloudFormation custom resource (lib/bootstrap/bootstrap-resource.ts). On Create and Update it
 *   creates the root CA certificate, signed by the root key the stateful stack made (RSA 4096 in KMS), and the
 *   bootstrap tenant's issuing CA. Both steps are idempotent. On Delete it does nothing: CA material is retained data.
 * - `issueAdminKey`: invoked by an operator (`aws lambda invoke`, docs/deploy.md) to mint an admin API key for a
 *   tenant. The key exists only in the invocation response: it is never logged, never put in a template, a stack
 *   output or Secrets Manager, and only its hash is stored. Who may invoke the function is who may mint admin keys,
 *   so `lambda:InvokeFunction` on it is as sensitive as the admin role itself.
 *
 * The Lambda wiring (context over AWS, the two exported handlers) is functions/lambda/bootstrap.ts.
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import * as z from 'zod';
import { createApiKey } from '../src/app/api-keys.js';
import type { AppContext, ContextProvider } from '../src/app/context.js';
import { invalidRequest, KakuninError } from '../src/core/errors.js';
import type { KeyVault } from '../src/ports.js';

/** Set by lib/stateless-stack.ts `BOOTSTRAP_ENV`. */
const BOOTSTRAP_ENV = { rootKeyArn: 'KAKUNIN_ROOT_CA_KEY_ARN', tenantId: 'KAKUNIN_BOOTSTRAP_TENANT' } as const;

const tenantIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/);
const bootstrapEnvSchema = z.object({
  [BOOTSTRAP_ENV.rootKeyArn]: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/),
  [BOOTSTRAP_ENV.tenantId]: tenantIdSchema,
});

export interface BootstrapSettings {
  rootKeyArn: string;
  tenantId: string;
}

export function bootstrapSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BootstrapSettings {
  const parsed = bootstrapEnvSchema.safeParse(env);
  if (!parsed.success) throw invalidRequest('invalid bootstrap configuration', parsed.error.issues[0]?.path.join('.'));
  return { rootKeyArn: parsed.data[BOOTSTRAP_ENV.rootKeyArn], tenantId: parsed.data[BOOTSTRAP_ENV.tenantId] };
}

/**
 * The root key is made by CloudFormation (so it is retained, termination-protected and visible in the template), not
 * by the service. This vault hands that key to the CA when it asks for a new root key, and refuses every other
 * root-key request; issuing-CA and agent keys are created as usual.
 */
export function withStackRootKey(vault: KeyVault, rootKeyArn: string): KeyVault {
  return {
    createKey: async (spec, tags) => {
      if (tags.purpose !== 'root-ca') return vault.createKey(spec, tags);
      if (spec !== 'RSA_4096') throw invalidRequest('the stack root key is RSA_4096', 'keySpec');
      return rootKeyArn;
    },
    getPublicKey: (keyId) => vault.getPublicKey(keyId),
    sign: (keyId, message, algorithm) => vault.sign(keyId, message, algorithm),
    // The stack's root key is CloudFormation's (retained); nothing at run time may schedule its deletion.
    scheduleDeletion: async (keyId) => {
      if (keyId === rootKeyArn) throw invalidRequest('the stack root key is never deleted at run time');
      await vault.scheduleDeletion(keyId);
    },
  };
}

/** Root CA, then the tenant's issuing CA. Safe to repeat and to race: the CA store's writes are conditional. */
export async function runBootstrap(ctx: AppContext, tenantId: string): Promise<{ rootFingerprint: string }> {
  await ctx.ca.ensureRoot();
  await ctx.ca.ensureTenant(tenantId);
  const root = await ctx.caStore.getRoot();
  if (!root) throw new KakuninError('UNAVAILABLE', 'root CA missing after bootstrap');
  return { rootFingerprint: root.fingerprint };
}

/** What the CDK provider framework relays to CloudFormation on success. */
export interface CustomResourceResult {
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

const PHYSICAL_ID = 'kakunin-bootstrap';

/** A message safe to show in CloudFormation events: contract codes only, never causes or internals. */
function failureReason(error: unknown): string {
  return error instanceof KakuninError ? `${error.code}: ${error.message}` : 'bootstrap failed; see the function logs';
}

/**
 * The custom resource's onEvent handler under the CDK provider framework (lib/bootstrap/bootstrap-resource.ts). The
 * framework answers CloudFormation on every outcome, a crash or a timeout of this function included, so a stack can
 * never hang waiting for a response that was never sent. A failure throws with a reason safe to show in events.
 */
export function createBootstrapHandler(provider: ContextProvider, settings: () => BootstrapSettings) {
  return async (event: CloudFormationCustomResourceEvent, _context?: Context): Promise<CustomResourceResult> => {
    // Keep the id stable so an Update never makes CloudFormation "delete" the old resource.
    const PhysicalResourceId = event.RequestType === 'Create' ? PHYSICAL_ID : event.PhysicalResourceId;
    if (event.RequestType === 'Delete') return { PhysicalResourceId };
    try {
      const { tenantId } = settings();
      const { rootFingerprint } = await runBootstrap(await provider(), tenantId);
      return { PhysicalResourceId, Data: { RootFingerprint: rootFingerprint, TenantId: tenantId } };
    } catch (error) {
      const reason = failureReason(error);
      console.error(JSON.stringify({ message: 'bootstrap failed', error: reason }));
      throw new Error(reason);
    }
  };
}

const adminKeyRequestSchema = z.object({ tenantId: tenantIdSchema.optional() }).strict();

export interface IssuedAdminKey {
  tenantId: string;
  id: string;
  role: 'admin';
  /** Shown once; only its SHA-256 is stored. */
  key: string;
}

export function createAdminKeyIssuer(provider: ContextProvider, settings: () => BootstrapSettings) {
  return async (event: unknown): Promise<IssuedAdminKey> => {
    const parsed = adminKeyRequestSchema.safeParse(event ?? {});
    if (!parsed.success) throw invalidRequest('expected {"tenantId"?: string}', 'tenantId');
    const tenantId = parsed.data.tenantId ?? settings().tenantId;
    const ctx = await provider();
    await ctx.ca.ensureRoot();
    await ctx.ca.ensureTenant(tenantId);
    const { record, key } = await createApiKey(ctx, { tenantId, role: 'admin', by: 'bootstrap:issueAdminKey' });
    console.info(JSON.stringify({ message: 'admin key issued', tenantId, keyId: record.id }));
    return { tenantId, id: record.id, role: 'admin', key };
  };
}
