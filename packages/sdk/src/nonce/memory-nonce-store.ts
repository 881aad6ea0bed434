/**
 * The default NonceStore: in memory, an LRU with TTL (lru-cache). Right for one verifier process; several processes
 * verifying the same agents need a shared store (Redis, DynamoDB: `@kakunin/sdk/aws`), or a replay could pass once
 * per process.
 *
 * A full store never evicts a nonce that is still live (that would let its replay through): it drops expired ones
 * and, if still full, refuses (the verifier then fails closed).
 */
import { LRUCache } from 'lru-cache';
import { KakuninError } from '../errors.js';
import { type Clock, systemClock } from '../signers/signer.js';
import type { NonceStore } from './nonce-store.js';

export interface MemoryNonceStoreOptions {
  /** @default 1_000_000 live nonces (about 150 MB at most) */
  maxEntries?: number;
  clock?: Clock;
}

export class MemoryNonceStore implements NonceStore {
  private readonly cache: LRUCache<string, number>;
  private readonly maxEntries: number;
  private readonly clock: Clock;

  constructor(options: MemoryNonceStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1_000_000;
    this.clock = options.clock ?? systemClock;
    // One slot more than the limit, so lru-cache itself never has to evict: the limit is enforced in claim(). The
    // expiry is the stored value rather than an lru-cache TTL: one comparison instead of TTL bookkeeping per claim
    // (the claim sits on the verifier's hot path), and the injected clock decides.
    this.cache = new LRUCache<string, number>({ max: this.maxEntries + 1 });
  }

  async claim(certificateFingerprint: string, nonce: string, expiresAt: number): Promise<boolean> {
    const now = this.clock.now();
    const key = `${certificateFingerprint} ${nonce}`;
    const seenUntil = this.cache.get(key);
    if (seenUntil !== undefined && seenUntil > now) return false;
    if (seenUntil === undefined && this.cache.size >= this.maxEntries) {
      this.dropExpired(now);
      if (this.cache.size >= this.maxEntries) throw new KakuninError('UNAVAILABLE', 'nonce store is full');
    }
    this.cache.set(key, expiresAt);
    return true;
  }

  /** Only when full: one pass over the entries, oldest use first. */
  private dropExpired(now: number): void {
    for (const key of [...this.cache.rkeys()]) {
      const expiresAt = this.cache.peek(key);
      if (expiresAt !== undefined && expiresAt <= now) this.cache.delete(key);
    }
  }

  get size(): number {
    return this.cache.size;
  }
}
