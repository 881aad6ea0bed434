/**
 * The offline verifier's CRL: fetched through the caller's `crl()` function, checked once per fetch against the
 * issuing CA (RFC 5280 §6.3, check-revocation.ts), indexed by serial number, and refreshed in the background before
 * it goes stale: when half of its usable life (the shorter of nextUpdate and the maximum age) has passed, or when
 * `refreshIntervalMs` elapsed since the last fetch. A verification never waits for a refresh while the CRL in hand is
 * current; with none current it waits for one fetch, and if that fails the answer is REVOCATION_STATUS_UNKNOWN.
 * An older CRL than the one in hand (lower thisUpdate) is ignored, so a replayed old CRL cannot un-revoke anything.
 */
// Before @peculiar/x509 (its tsyringe container needs the Reflect polyfill at load time).
import 'reflect-metadata';
import type { X509Certificate, X509Crl } from '@peculiar/x509';
import { X509CrlReason } from '@peculiar/x509';
import { checkCrlIssuer, checkCrlTimes, idpCovers, type RevocationResult } from '../x509/check-revocation.js';
import { parseCrl } from '../x509/parse.js';

export interface CrlCacheOptions {
  fetch: () => Promise<Uint8Array | string>;
  issuer: X509Certificate;
  maxCrlAgeMs: number;
  refreshIntervalMs: number;
  now: () => number;
}

interface CurrentCrl {
  crl: X509Crl;
  thisUpdate: number;
  /** The earlier of nextUpdate and thisUpdate + maxCrlAgeMs (checkCrlTimes at install guarantees nextUpdate). */
  usableUntil: number;
  refreshAt: number;
  fetchedAt: number;
  revoked: Map<string, string>;
  hasIdp: boolean;
}

/** Serial numbers as lowercase hex without leading zero bytes, however the library printed them. */
export const normalizeSerial = (serial: string): string => serial.toLowerCase().replace(/^(00)+(?=.)/, '');

/** Normalised serial per parsed certificate: the library recomputes the hex on every read of `serialNumber`. */
const serials = new WeakMap<X509Certificate, string>();
function serialOf(certificate: X509Certificate): string {
  let serial = serials.get(certificate);
  if (serial === undefined) {
    serial = normalizeSerial(certificate.serialNumber);
    serials.set(certificate, serial);
  }
  return serial;
}

export class CrlCache {
  private current: CurrentCrl | undefined;
  private inflight: Promise<void> | undefined;
  /** Why the last fetch failed, for `unknown` answers. */
  private lastError = 'no CRL fetched yet';

  constructor(private readonly options: CrlCacheOptions) {}

  /** Revocation status of `certificate` now; waits for a fetch only when no current CRL is in hand. */
  async status(certificate: X509Certificate): Promise<RevocationResult> {
    const known = this.statusNow(certificate);
    if (known !== undefined) return known;
    await this.refresh();
    const current = this.usable(this.options.now());
    return current === undefined ? { status: 'unknown', reason: this.lastError } : this.lookUp(current, certificate);
  }

  /**
   * The status from the CRL in hand, synchronously (the verifier's hot path), or undefined when there is no current
   * CRL and a fetch is needed. Starts a background refresh when one is due.
   */
  statusNow(certificate: X509Certificate): RevocationResult | undefined {
    const now = this.options.now();
    const current = this.usable(now);
    if (current === undefined) return undefined;
    if (now >= current.refreshAt || now - current.fetchedAt >= this.options.refreshIntervalMs) {
      void this.refresh(); // background: errors are kept in lastError, the current CRL stays in use
    }
    return this.lookUp(current, certificate);
  }

  private lookUp(current: CurrentCrl, certificate: X509Certificate): RevocationResult {
    if (current.hasIdp) {
      const notCovered = idpCovers(current.crl, certificate);
      if (notCovered !== undefined) return notCovered;
    }
    const reason = current.revoked.get(serialOf(certificate));
    return reason === undefined ? { status: 'good' } : { status: 'revoked', reason };
  }

  /** Fetches and installs a CRL now (deduplicated with any fetch in flight). Never rejects. */
  refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private usable(now: number): CurrentCrl | undefined {
    const current = this.current;
    if (current === undefined || now < current.thisUpdate || now > current.usableUntil) return undefined;
    return current;
  }

  private async load(): Promise<void> {
    const { issuer, maxCrlAgeMs } = this.options;
    try {
      const crl = parseCrl(await this.options.fetch());
      const now = this.options.now();
      const failure = checkCrlTimes(crl, now, maxCrlAgeMs) ?? (await checkCrlIssuer(crl, issuer));
      if (failure !== undefined) {
        this.lastError = failure.reason ?? 'CRL refused';
        return;
      }
      const thisUpdate = crl.thisUpdate.getTime();
      if (this.current !== undefined && thisUpdate < this.current.thisUpdate) {
        this.lastError = 'fetched CRL is older than the one in use';
        return;
      }
      const revoked = new Map<string, string>();
      for (const entry of crl.entries) {
        const reason = entry.reason === undefined ? 'unspecified' : (X509CrlReason[entry.reason] ?? 'unspecified');
        revoked.set(normalizeSerial(entry.serialNumber), reason);
      }
      const life = Math.min(maxCrlAgeMs, (crl.nextUpdate?.getTime() ?? thisUpdate) - thisUpdate);
      this.current = {
        crl,
        thisUpdate,
        usableUntil: thisUpdate + life,
        refreshAt: thisUpdate + life / 2,
        fetchedAt: now,
        revoked,
        hasIdp: crl.extensions.some((extension) => extension.type === '2.5.29.28'),
      };
    } catch (error) {
      this.lastError = `CRL fetch failed: ${error instanceof Error ? error.message : 'unknown error'}`;
    }
  }
}
