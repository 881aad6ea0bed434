/**
 * Parsed public keys, keyed by their SPKI PEM text. `createPublicKey` from PEM costs more than an ECDSA verify, so
 * the hot path parses each key once. The cache holds keys only, never certificate records or their status: the
 * verifier reads status, ancestors and agent afresh on every request, so caching cannot hide a revocation.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

export const DEFAULT_PUBLIC_KEY_CACHE_SIZE = 10_000;

export class PublicKeyCache {
  private readonly keys = new Map<string, KeyObject>();

  constructor(private readonly maxEntries = DEFAULT_PUBLIC_KEY_CACHE_SIZE) {}

  /** The parsed key, or undefined if the PEM is not a public key (the caller fails closed). */
  get(pem: string): KeyObject | undefined {
    const cached = this.keys.get(pem);
    if (cached !== undefined) {
      // Refresh recency: Map iteration order is insertion order, so the first key is the least recently used.
      this.keys.delete(pem);
      this.keys.set(pem, cached);
      return cached;
    }
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      return undefined;
    }
    if (this.keys.size >= this.maxEntries) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    this.keys.set(pem, key);
    return key;
  }

  get size(): number {
    return this.keys.size;
  }
}
