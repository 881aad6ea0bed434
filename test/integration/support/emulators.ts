/**
 * One emulator pair per test file: `const env = useEmulators()` at the top of a file starts dynalite and kinesalite
 * before its tests and stops them after. `env()` returns the running emulators.
 */
import { afterAll, beforeAll } from 'vitest';
import { type Emulators, startEmulators } from '../../../src/adapters/local/emulators.js';

export function useEmulators(options: { dataDir?: string } = {}): () => Emulators {
  let emulators: Emulators | undefined;
  beforeAll(async () => {
    emulators = await startEmulators(options);
  });
  afterAll(async () => {
    await emulators?.stop();
  });
  return () => {
    if (!emulators) throw new Error('emulators not started');
    return emulators;
  };
}

/** A fixed, settable clock: tests move time explicitly, never sleep for it. */
export class TestClock {
  constructor(public current: number) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Runs `count` calls of `task` concurrently and returns all results. */
export function concurrently<T>(count: number, task: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => task(i)));
}

let unique = 0;
/** A tenant id unique within the file, so tests in one file never see each other's items. */
export function freshTenant(label = 'tenant'): string {
  unique += 1;
  return `${label}-${unique}-${Math.random().toString(36).slice(2, 8)}`;
}
