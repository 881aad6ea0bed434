/**
 * Which serial numbers a tenant's CRL lists, and why. Directly revoked certificates keep their own reason and time;
 * every descendant of one is listed too (relying parties such as `openssl verify -crl_check` know nothing of our
 * parent links) with reason privilegeWithdrawn and the ancestor's revocation time: the authority it was delegated
 * was withdrawn at that moment. A descendant that was itself revoked keeps its own entry.
 */
import { X509CrlReason } from '@peculiar/x509';
import type { CertificateStore } from '../../ports.js';
import type { CertificateRecord, RevocationReason } from '../model.js';

export interface CrlEntry {
  serialNumber: string;
  revokedAt: number;
  reason: X509CrlReason;
}

/**
 * Contract reasons → RFC 5280 CRLReason. `anomaly` (behavioural revocation) maps to keyCompromise: the agent acted
 * outside its pattern, so relying parties should treat anything signed with the key as suspect, the strongest signal
 * the CRL can carry. `unspecified` is encoded by omitting the reason extension (RFC 5280 §5.3.1).
 */
export const CRL_REASON: Record<RevocationReason, X509CrlReason> = {
  keyCompromise: X509CrlReason.keyCompromise,
  superseded: X509CrlReason.superseded,
  cessationOfOperation: X509CrlReason.cessationOfOperation,
  anomaly: X509CrlReason.keyCompromise,
  unspecified: X509CrlReason.unspecified,
};

/** Breadth-first walk from every revoked certificate; each certificate is listed once. */
export async function collectCrlEntries(certificates: CertificateStore, tenantId: string): Promise<CrlEntry[]> {
  const revoked = await certificates.listRevoked(tenantId);
  const entries = new Map<string, CrlEntry>();
  for (const record of revoked) {
    entries.set(record.fingerprint, {
      serialNumber: record.serialNumber,
      revokedAt: record.revokedAt ?? record.createdAt,
      reason: CRL_REASON[record.revocationReason ?? 'unspecified'],
    });
  }
  const queue: Array<{ parent: CertificateRecord; since: number }> = revoked.map((record) => ({
    parent: record,
    since: record.revokedAt ?? record.createdAt,
  }));
  const visited = new Set(revoked.map((record) => record.fingerprint));
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of await certificates.listChildren(tenantId, next.parent.fingerprint)) {
      if (visited.has(child.fingerprint)) continue;
      visited.add(child.fingerprint);
      entries.set(child.fingerprint, {
        serialNumber: child.serialNumber,
        revokedAt: next.since,
        reason: X509CrlReason.privilegeWithdrawn,
      });
      queue.push({ parent: child, since: next.since });
    }
  }
  return [...entries.values()];
}
