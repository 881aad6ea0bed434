/**
 * Per-process cache of the IMMUTABLE part of certificate records, keyed by tenant and fingerprint.
 *
 * Why it is safe: a certificate record is written once (`CertificateStore.put` is conditional on the fingerprint
 * being new, and the fingerprint is the SHA-256 of the DER, so the same key always names the same certificate) and
 * afterwards only its revocation fields change. The cache therefore holds everything EXCEPT `status`, `revokedAt`
 * and `revocationReason`; the verifier re-reads the status of the certificate, of every ancestor and of the agent on
 * every request (`CertificateStore.readVerificationState`), so no cache can hide a revocation or a suspension.
 * Absent certificates are never cached (a certificate issued a moment later must be found).
 */
import type { CertificateRecord } from '../model.js';

/** A certificate record without its mutable revocation fields. */
export type CertificateFacts = Omit<CertificateRecord, 'status' | 'revokedAt' | 'revocationReason'>;

export const DEFAULT_CERTIFICATE_FACTS_CACHE_SIZE = 10_000;

export class CertificateFactsCache {
  private readonly entries = new Map<string, CertificateFacts>();

  constructor(private readonly maxEntries = DEFAULT_CERTIFICATE_FACTS_CACHE_SIZE) {}

  get(tenantId: string, fingerprint: string): CertificateFacts | undefined {
    const key = cacheKey(tenantId, fingerprint);
    const found = this.entries.get(key);
    if (found !== undefined) {
      // Refresh recency: Map iteration order is insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  /** Keeps a frozen copy of the record's immutable fields; the status fields are dropped, never cached. */
  remember(record: CertificateRecord): CertificateFacts {
    const { status: _status, revokedAt: _revokedAt, revocationReason: _reason, ...facts } = record;
    const frozen = deepFreeze(structuredClone(facts));
    const key = cacheKey(record.tenantId, record.fingerprint);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, frozen);
    return frozen;
  }

  forget(tenantId: string, fingerprint: string): void {
    this.entries.delete(cacheKey(tenantId, fingerprint));
  }

  get size(): number {
    return this.entries.size;
  }
}

// Fingerprints are `sha256:` + hex, tenant ids never contain NUL: the key is unambiguous.
const cacheKey = (tenantId: string, fingerprint: string) => `${tenantId}\u0000${fingerprint}`;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
