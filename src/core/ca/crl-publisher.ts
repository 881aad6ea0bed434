/**
 * Keeps each tenant's CRL published instead of signing one per request (docs/ca.md, "CRL publication").
 *
 * `GET /v1/crl` is unauthenticated: signing a fresh CRL for each request let anyone spend a KMS Sign, a counter write
 * and a revocation listing per request. Now a CRL is signed when a revocation happens and when the stored one has used
 * half its validity (a schedule does that deployed; a request does it if the schedule has not), and requests are
 * served the stored one.
 *
 * Freshness (docs/api.md §2: a CRL lists every revocation made before the request): every revocation bumps the
 * tenant's CRL revision AFTER the revocation is stored, and a CRL records the revision it read BEFORE listing the
 * revocations. A stored CRL whose revision is below the current one may miss a revocation, so it is not served: a
 * new one is signed first. The revision read costs one item read, never a signature.
 */
import type { CaStore, Clock, CrlStore, PublishedCrl } from '../../ports.js';
import { callPort } from '../verification/port-call.js';

/** A CRL as just signed (the publisher adds the revision it covers). */
export type SignedCrl = Omit<PublishedCrl, 'revision'>;

export interface CrlPublisherDeps {
  /** Signs a new CRL: fixes thisUpdate and the CRL number, then lists the revocations. */
  sign(tenantId: string): Promise<SignedCrl>;
  caStore: Pick<CaStore, 'crlRevision'>;
  crls: CrlStore;
  clock: Clock;
}

/** A CRL is re-signed once half its validity has passed, long before a relying party would call it stale. */
export function refreshAt(crl: Pick<PublishedCrl, 'thisUpdate' | 'nextUpdate'>): number {
  return crl.thisUpdate + Math.floor((crl.nextUpdate - crl.thisUpdate) / 2);
}

export class CrlPublisher {
  /** One signing at a time per tenant in this process: a burst of requests after a revocation costs one Sign. */
  private readonly inFlight = new Map<string, Promise<PublishedCrl>>();

  constructor(private readonly deps: CrlPublisherDeps) {}

  /** The CRL to serve: the stored one while it covers every revocation recorded and is not due for refresh. */
  async current(tenantId: string): Promise<PublishedCrl> {
    const [stored, revision] = await Promise.all([
      callPort('CRL store', () => this.deps.crls.get(tenantId)),
      callPort('certificate authority store', () => this.deps.caStore.crlRevision(tenantId)),
    ]);
    if (stored !== undefined && this.covers(stored, revision)) return stored;
    return this.publish(tenantId, revision);
  }

  /** Signs and stores a CRL covering at least `revision` (shares a signing already under way when that one does). */
  async publish(tenantId: string, revision: bigint): Promise<PublishedCrl> {
    const running = this.inFlight.get(tenantId);
    if (running !== undefined) {
      const shared = await running.catch(() => undefined);
      if (shared !== undefined && this.covers(shared, revision)) return shared;
    }
    const next = this.signAndStore(tenantId);
    this.inFlight.set(tenantId, next);
    try {
      return await next;
    } finally {
      if (this.inFlight.get(tenantId) === next) this.inFlight.delete(tenantId);
    }
  }

  /**
   * For the schedule: re-signs every published CRL that is due or behind a revocation. A tenant whose CRL nobody ever
   * requested has none to keep fresh (its first request signs one). Failures are collected, not thrown midway.
   */
  async refreshAll(): Promise<{ tenants: number; signed: number; failed: string[] }> {
    const tenants = await callPort('CRL store', () => this.deps.crls.tenants());
    let signed = 0;
    const failed: string[] = [];
    for (const tenantId of tenants) {
      try {
        if (await this.refreshIfDue(tenantId)) signed += 1;
      } catch {
        failed.push(tenantId);
      }
    }
    return { tenants: tenants.length, signed, failed };
  }

  /** Re-signs when the stored CRL misses a revision or is due; for the schedule. Returns whether it signed. */
  async refreshIfDue(tenantId: string): Promise<boolean> {
    const [stored, revision] = await Promise.all([
      callPort('CRL store', () => this.deps.crls.get(tenantId)),
      callPort('certificate authority store', () => this.deps.caStore.crlRevision(tenantId)),
    ]);
    if (stored !== undefined && this.covers(stored, revision)) return false;
    await this.publish(tenantId, revision);
    return true;
  }

  private covers(crl: PublishedCrl, revision: bigint): boolean {
    return crl.revision >= revision && this.deps.clock.now() < refreshAt(crl);
  }

  private async signAndStore(tenantId: string): Promise<PublishedCrl> {
    // Read before the CRL lists the revocations: the CRL then lists every revocation this revision counts.
    const revision = await callPort('certificate authority store', () => this.deps.caStore.crlRevision(tenantId));
    const signed = await this.deps.sign(tenantId);
    const published: PublishedCrl = { ...signed, revision };
    await callPort('CRL store', () => this.deps.crls.put(tenantId, published));
    return published;
  }
}

/** The store used when a runtime has nowhere to publish (tests, a deployment without the artifact bucket). */
export class ProcessLocalCrlStore implements CrlStore {
  private readonly crls = new Map<string, PublishedCrl>();

  async get(tenantId: string): Promise<PublishedCrl | undefined> {
    return this.crls.get(tenantId);
  }

  async put(tenantId: string, crl: PublishedCrl): Promise<void> {
    const stored = this.crls.get(tenantId);
    if (stored === undefined || stored.crlNumber < crl.crlNumber) this.crls.set(tenantId, crl);
  }

  async tenants(): Promise<string[]> {
    return [...this.crls.keys()];
  }
}
