/**
 * esbuild settings shared by the CDK functions (lib/compute/kakunin-function.ts) and the bundle measurement script
 * (scripts/measure-bundles.ts), so what is measured is what is deployed. Plain data: no aws-cdk-lib import, so the
 * script loads it without the CDK.
 */

/**
 * Modules left out of the bundle because the Lambda runtime provides them. Decision (measured, docs/deploy.md):
 * the `@aws-sdk/*` clients are BUNDLED, not external. Bundled and minified they cost little size and import faster
 * than the runtime's copy (one file, tree-shaken, no resolution of hundreds of modules), and they pin the SDK
 * version we test against instead of whatever the runtime ships that week.
 */
export const EXTERNAL_MODULES: string[] = [];

/** The SDK as external, for the comparison in scripts/measure-bundles.ts. */
export const AWS_SDK_EXTERNAL: string[] = ['@aws-sdk/*', '@smithy/*'];

export const ESBUILD_TARGET = 'node22';

/**
 * ESM output needs `require` for the few CommonJS dependencies that call it dynamically; this banner provides it
 * (esbuild's documented workaround). Biome keeps it as one line.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __kakuninCreateRequire } from 'node:module'; const require = __kakuninCreateRequire(import.meta.url);";

/** The Lambda entry points: one per route group plus the bootstrap (functions/<name>.ts, each exporting `handler`). */
export const FUNCTION_ENTRIES = ['authorizer', 'public', 'agents', 'certificates', 'verify', 'bootstrap'] as const;
export type FunctionEntry = (typeof FUNCTION_ENTRIES)[number];
