/**
 * Per-process cache of what never changes about a certificate a verifier has seen, keyed by tenant and fingerprint:
 * its immutable fields (the scope decoded from the certificate's own extension), the immutable fields of every
 * ancestor certificate, and the ids of the agents above its agent.
 *
 * Why it is safe: a certificate record is written once (`CertificateStore.put` is conditional on the fingerprint
 * being new, and the fingerprint is the SHA-256 of the DER, so the same key always names the same certificate) and
 * afterwards only its revocation fields change; an agent's `parentAgentId` is set at creation and never updated. The
 * cache therefore holds no `status`, `revokedAt` or `revocationReason`, and no agent status or setting: the verifier
 * re-reads all of those on every request (`CertificateStore.readVerificationState`), so no cache can hide a revocation
 * or a suspension. Absent certificates are never cached (a certificate issued a moment later must be found).
 */
import type { CertificateRecord } from '../model.js';
import { scopeOfCertificate } from './certificate-scope.js';

/** A certificate record without its mutable revocation fields, its `scope` decoded from the certificate itself. */
export type CertificateFacts = Omit<CertificateRecord, 'status' | 'revokedAt' | 'revocationReason'>;

/** Everything immutable a verification needs about one certificate and what stands above it. */
export interface VerificationFacts {
  certificate: CertificateFacts;
  /** The ancestor certificates, root first (nearest parent last). */
  lineage: readonly CertificateFacts[];
  /** Every agent above the certificate's agent: its `parentAgentId` chain and the agents of ancestor certificates. */
  ancestorAgentIds: readonly string[];
}

export const DEFAULT_CERTIFICATE_FACTS_CACHE_SIZE = 10_000;

/**
 * The immutable fields of `record`, with `scope` replaced by the scope its certificate carries: the record's stored
 * copy is never trusted for a decision (docs/api.md §3, "the certificate is the source of truth for scope").
 */
export function certificateFactsOf(record: CertificateRecord, scopeOid: string): CertificateFacts {
  const { status: _status, revokedAt: _revokedAt, revocationReason: _reason, ...facts } = record;
  return { ...facts, scope: scopeOfCertificate(record.pem, scopeOid) };
}

export class CertificateFactsCache {
  private readonly entries = new Map<string, VerificationFacts>();

  constructor(private readonly maxEntries = DEFAULT_CERTIFICATE_FACTS_CACHE_SIZE) {}

  get(tenantId: string, fingerprint: string): VerificationFacts | undefined {
    const key = cacheKey(tenantId, fingerprint);
    const found = this.entries.get(key);
    if (found !== undefined) {
      // Refresh recency: Map iteration order is insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  /** Keeps a frozen copy of `facts` and returns it. */
  remember(tenantId: string, fingerprint: string, facts: VerificationFacts): VerificationFacts {
    const frozen = deepFreeze(structuredClone(facts));
    const key = cacheKey(tenantId, fingerprint);
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
