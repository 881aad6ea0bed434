/**
 * Bundle size and cold import time of every Lambda entry point, built with the same esbuild settings the CDK uses
 * (lib/compute/bundling-options.ts). Two variants: `@aws-sdk/*` bundled (what is deployed) and external (what the
 * Node.js 22 runtime would provide), so the choice in bundling-options.ts stays a measured one.
 *
 *   npx tsx scripts/measure-bundles.ts [--runs 7]
 *
 * Cold import = a fresh `node` process timing `await import(bundle)` (module load, parse and top-level code; the
 * Lambda context itself is built lazily on the first request, so this is the handler's share of INIT).
 * Bundles go to node_modules/.cache/kakunin-bundles/ so an external SDK still resolves from node_modules.
 *
 * The public and certificates functions load the CA and the KMS vault with `await import()` on first use (their
 * code is in the same bundle, evaluated later). The last row times that deferred part on its own, so the cost moved
 * from INIT to the first chain/CRL/issuance/signing request is written down too. The load average is printed before
 * and after: the build machine has 2 cores and is often busy, which inflates every time.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  AWS_SDK_EXTERNAL,
  ESBUILD_TARGET,
  ESM_REQUIRE_BANNER,
  EXTERNAL_MODULES,
  FUNCTION_ENTRIES,
  type FunctionEntry,
  functionEntryPath,
} from '../lib/compute/bundling-options.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'node_modules', '.cache', 'kakunin-bundles');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;

/** Enough configuration for module top-level code; nothing is called, so no AWS access happens. */
const DUMMY_ENV = {
  ...process.env,
  AWS_REGION: 'eu-central-1',
  KAKUNIN_REGISTRY_TABLE: 'registry',
  KAKUNIN_NONCES_TABLE: 'nonces',
  KAKUNIN_COUNTERS_TABLE: 'counters',
  KAKUNIN_LEDGER_TABLE: 'ledger',
  KAKUNIN_ACTION_STREAM: 'actions',
  KAKUNIN_EVENT_BUS: 'bus',
  KAKUNIN_PUBLIC_BASE_URL: 'https://example.invalid/live',
  POWERTOOLS_METRICS_NAMESPACE: 'Kakunin',
};

/** Modules the entry points load lazily, measured as one extra bundle (name → modules). */
const LAZY_PARTS: Record<string, string[]> = {
  'CA + KMS vault (lazy: public, certificates)': ['src/app/ca-factory.ts', 'src/app/aws/kms.ts'],
};

interface Measurement {
  entry: string;
  variant: 'sdk-bundled' | 'sdk-external';
  bytes: number;
  gzipBytes: number;
  importMsMedian: number;
  importMsMax: number;
}

type Source = { entry: FunctionEntry } | { lazy: string };

async function bundle(source: Source, variant: Measurement['variant']): Promise<string> {
  const name = 'entry' in source ? source.entry : source.lazy.replace(/\W+/g, '-');
  const outfile = join(OUT, variant, `${name}.mjs`);
  await build({
    ...('entry' in source
      ? { entryPoints: [join(ROOT, functionEntryPath(source.entry))] }
      : {
          stdin: {
            contents: (LAZY_PARTS[source.lazy] ?? []).map((module) => `import './${module}';`).join('\n'),
            resolveDir: ROOT,
            loader: 'ts' as const,
          },
        }),
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ESBUILD_TARGET,
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: 'external',
    sourcesContent: false,
    banner: { js: ESM_REQUIRE_BANNER },
    external: variant === 'sdk-external' ? [...EXTERNAL_MODULES, ...AWS_SDK_EXTERNAL] : EXTERNAL_MODULES,
    logLevel: 'error',
  });
  return outfile;
}

function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: DUMMY_ENV,
    encoding: 'utf8',
  });
  return Number(out);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function measure(source: Source, variant: Measurement['variant']): Promise<Measurement> {
  const file = await bundle(source, variant);
  const times = Array.from({ length: RUNS }, () => coldImportMs(file));
  return {
    entry: 'entry' in source ? source.entry : source.lazy,
    variant,
    bytes: statSync(file).size,
    gzipBytes: gzipSync(readFileSync(file)).length,
    importMsMedian: Math.round(median(times)),
    importMsMax: Math.round(Math.max(...times)),
  };
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
const loadBefore = load();
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const rows: Measurement[] = [];
for (const entry of FUNCTION_ENTRIES) {
  for (const variant of ['sdk-bundled', 'sdk-external'] as const) rows.push(await measure({ entry }, variant));
}
for (const lazy of Object.keys(LAZY_PARTS)) rows.push(await measure({ lazy }, 'sdk-bundled'));
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
console.log(`node ${process.version}, ${RUNS} cold imports per bundle (median / max)`);
console.log(`load average (1, 5, 15 min): before ${loadBefore}; after ${load()}\n`);
console.log('| function | @aws-sdk | bundle | gzip | cold import median | max |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.entry} | ${r.variant === 'sdk-bundled' ? 'bundled' : 'external'} | ${kb(r.bytes)} | ${kb(r.gzipBytes)} | ${r.importMsMedian} ms | ${r.importMsMax} ms |`,
  );
}
