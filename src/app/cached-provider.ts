/**
 * Builds something once per container, lazily on first use, and shares the promise with concurrent callers. A failed
 * build is not cached, so the next request retries instead of the container staying broken. Every Lambda entry
 * point (functions/lambda/*.ts) and `awsContextProvider` build their context through this.
 */
import type { Provider } from './context.js';

export function cachedProvider<C>(build: () => C | Promise<C>): Provider<C> {
  let building: Promise<C> | undefined;
  return () => {
    building ??= Promise.resolve()
      .then(build)
      .catch((error: unknown) => {
        building = undefined;
        throw error;
      });
    return building;
  };
}
