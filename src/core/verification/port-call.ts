/**
 * Fail closed on dependencies: any rejection from a port (a store, the ledger, the stream) becomes a DependencyError
 * (503, UNAVAILABLE), whatever the adapter threw, so no adapter error can turn into a 500 or into a verdict.
 */
import { DependencyError } from '../errors.js';

export async function callPort<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DependencyError) throw error;
    throw new DependencyError(`${what} unavailable`, error);
  }
}
