/**
 * Each Lambda bundles only what its routes use (docs/deploy.md, "Bundle size and cold import time"). This builds the
 * entry points with the stack's esbuild settings and checks which packages end up in them, and which are only
 * reachable through `await import()` (evaluated on first use, not at cold start), so a stray import that drags the
 * CA, the KMS client or all of zod back into a function fails here instead of silently costing cold-start time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  ESBUILD_TARGET,
  EXTERNAL_MODULES,
  FUNCTION_ENTRIES,
  type FunctionEntry,
  functionEntryPath,
} from '../../../lib/compute/bundling-options.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

async function metafileOf(entry: FunctionEntry): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(ROOT, functionEntryPath(entry))],
    bundle: true,
    write: false,
    outdir: join(ROOT, 'node_modules', '.cache', 'composition-test'),
    platform: 'node',
    format: 'esm',
    target: ESBUILD_TARGET,
    mainFields: ['module', 'main'],
    external: EXTERNAL_MODULES,
    metafile: true,
    logLevel: 'error',
  });
  return result.metafile;
}

/** Inputs reachable from the entry through static imports only (what cold start evaluates). */
function staticInputs(metafile: Metafile, entry: FunctionEntry): Set<string> {
  const start = functionEntryPath(entry);
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    for (const imported of metafile.inputs[path]?.imports ?? []) {
      if (imported.kind !== 'import-statement' || imported.external || seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return seen;
}

const has = (paths: Iterable<string>, fragment: string) => [...paths].some((path) => path.includes(fragment));

/** Inputs that contribute code to the bundle (esbuild lists tree-shaken files too, with 0 bytes). */
function bundled(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
}

describe('Lambda entry points', () => {
  it.each(FUNCTION_ENTRIES)('functions/lambda/%s.ts exists and exports its handler', async (entry) => {
    expect(existsSync(join(ROOT, functionEntryPath(entry)))).toBe(true);
    const module = (await import(join(ROOT, functionEntryPath(entry)))) as Record<string, unknown>;
    expect(typeof module.handler).toBe('function');
    if (entry === 'bootstrap') expect(typeof module.issueAdminKey).toBe('function');
  });
});

describe('per-function composition', () => {
  const HEAVY = ['@peculiar/x509', '@aws-sdk/client-kms', 'pkijs', 'src/core/ca/'];

  it('the authorizer bundles the API-key store and nothing else heavy: no zod, CA, KMS, Kinesis, EventBridge', async () => {
    const inputs = bundled(await metafileOf('authorizer'));
    for (const fragment of [...HEAVY, 'zod', 'client-kinesis', 'client-eventbridge', 'powertools/metrics']) {
      expect(has(inputs, fragment), fragment).toBe(false);
    }
    expect(has(inputs, 'dynamo/api-key-store')).toBe(true);
    expect(has(inputs, 'dynamo/ledger')).toBe(false);
  });

  it('agents and verify bundle no CA, x509 or KMS; only verify bundles Kinesis', async () => {
    const agents = bundled(await metafileOf('agents'));
    const verify = bundled(await metafileOf('verify'));
    for (const fragment of [...HEAVY, 'client-eventbridge']) {
      expect(has(agents, fragment), `agents: ${fragment}`).toBe(false);
      expect(has(verify, fragment), `verify: ${fragment}`).toBe(false);
    }
    expect(has(agents, 'client-kinesis')).toBe(false);
    expect(has(verify, 'client-kinesis')).toBe(true);
    expect(has(agents, 'zod/v4/locales/ar.js'), 'agents must not bundle every zod locale').toBe(false);
  });

  it('the monitoring functions bundle no CA, x509 or KMS at cold start; only the consumer bundles the engine', async () => {
    for (const entry of ['consumer', 'dispatcher', 'monitoring'] as const) {
      const metafile = await metafileOf(entry);
      const eager = staticInputs(metafile, entry);
      for (const fragment of HEAVY) expect(has(eager, fragment), `${entry}: ${fragment}`).toBe(false);
      expect(has(eager, 'client-kinesis'), `${entry}: kinesis`).toBe(false);
    }
    expect(has(bundled(await metafileOf('dispatcher')), 'src/core/behavior/')).toBe(false);
  });

  it.each(['public', 'certificates'] as const)('%s loads the CA and KMS only on first use', async (entry) => {
    const metafile = await metafileOf(entry);
    const eager = staticInputs(metafile, entry);
    expect(has(bundled(metafile), '@peculiar/x509')).toBe(true);
    expect(has(eager, 'dynamo/ca-store'), 'the walk reaches the static imports').toBe(true);
    for (const fragment of HEAVY) expect(has(eager, fragment), fragment).toBe(false);
  });
});
