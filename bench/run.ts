/**
 * `npm run bench [filter]`: runs every `bench/*.bench.ts` module (or those whose file name contains the filter) and
 * prints one JSON line per result. Not part of `npm test`: speed is measured on demand, never asserted in tests.
 */
import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();

for (const file of files) {
  const module = (await import(pathToFileURL(join(here, file)).href)) as { benchmarks: Benchmark[] };
  for (const benchmark of module.benchmarks) {
    for (const line of await benchmark.run()) process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
process.exit(0);
