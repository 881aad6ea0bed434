/**
 * esbuild settings shared by the CDK functions (lib/compute/kakunin-function.ts) and the bundle measurement script
 * (scripts/measure-bundles.ts), so what is measured is what is deployed. Plain data: no aws-cdk-lib import, so the
 * script loads it without the CDK.
 */

/**
 * Credential providers the SDK's default chain loads with `await import()` only when no credentials are in the
 * environment (or AWS_PROFILE is set). A Lambda always has AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN
 * and never AWS_PROFILE, so the chain stops at `fromEnv` and these are never loaded; left out, they save ≈ 80 KB
 * (SSO/STS clients included) in every function. Should one ever be reached, the import fails, the SDK call fails and
 * the request answers 503 (fail closed), never a wrong identity.
 */
export const UNREACHABLE_IN_LAMBDA: string[] = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
];

/**
 * Modules left out of the bundle. Decision (measured, docs/deploy.md): the `@aws-sdk/*` clients are BUNDLED, not
 * taken from the Node.js 22 runtime. External would halve the bundle, but cold import is 2.5-4x slower (Node resolves
 * and loads hundreds of CommonJS files instead of one pre-linked module), and bundling pins the SDK version the
 * tests ran with instead of whatever the runtime ships that week. Only the credential providers a Lambda never
 * reaches are left out.
 */
export const EXTERNAL_MODULES: string[] = [...UNREACHABLE_IN_LAMBDA];

/** The SDK as external, for the comparison in scripts/measure-bundles.ts. */
export const AWS_SDK_EXTERNAL: string[] = ['@aws-sdk/*', '@smithy/*'];

export const ESBUILD_TARGET = 'node22';

/**
 * ESM output needs `require` for the few CommonJS dependencies that call it dynamically; this banner provides it
 * (esbuild's documented workaround). Biome keeps it as one line.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __kakuninCreateRequire } from 'node:module'; const require = __kakuninCreateRequire(import.meta.url);";

/**
 * The Lambda entry points: one per route group plus the bootstrap. Each is functions/lambda/<name>.ts, which wires
 * the portable handler factory of functions/<name>.ts to just the AWS ports that group uses (local mode imports the
 * factories only, never these files).
 */
export const FUNCTION_ENTRIES = [
  'authorizer',
  'public',
  'agents',
  'certificates',
  'verify',
  'audit',
  'checkpoint',
  'bootstrap',
] as const;
export type FunctionEntry = (typeof FUNCTION_ENTRIES)[number];

/** Repository-relative path of an entry point: `functions/lambda/<entry>.ts`. */
export const functionEntryPath = (entry: FunctionEntry): string => `functions/lambda/${entry}.ts`;
