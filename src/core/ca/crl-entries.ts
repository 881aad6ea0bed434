/**
 * Which serial numbers a tenant's CRL lists, and why. Directly revoked certificates keep their own reason and time;
 * every descendant of one is listed too (relying parties such as `openssl verify -crl_check` know nothing of our
 * parent links) with reason privilegeWithdrawn and the ancestor's revocation time: the authority it was delegated
 * was withdrawn at that moment. A descendant that was itself revoked keeps its own reason, dated by whichever came
 * first: its own revocation or an ancestor's.
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

/**
 * Breadth-first walk from every revoked certificate; each certificate is listed once. A descendant's revocation time
 * is the EARLIEST revocation among its ancestors: it stopped being valid the moment the first of them was revoked, even
 * when a nearer ancestor was itself revoked later (a walk that stopped at the first visit would report the later
 * time, telling relying parties that signatures made in between were still good).
 */
export async function collectCrlEntries(certificates: CertificateStore, tenantId: string): Promise<CrlEntry[]> {
  const revoked = await certificates.listRevoked(tenantId);
  const entries = new Map<string, CrlEntry>();
  const revokedAt = new Map<string, number>();
  for (const record of revoked) {
    const at = record.revokedAt ?? record.createdAt;
    revokedAt.set(record.fingerprint, at);
    entries.set(record.fingerprint, {
      serialNumber: record.serialNumber,
      revokedAt: at,
      reason: CRL_REASON[record.revocationReason ?? 'unspecified'],
    });
  }
  const descendants = new Map<string, CertificateRecord>();
  const queue: CertificateRecord[] = [...revoked];
  const visited = new Set(revoked.map((record) => record.fingerprint));
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of await certificates.listChildren(tenantId, next.fingerprint)) {
      if (visited.has(child.fingerprint)) continue;
      visited.add(child.fingerprint);
      descendants.set(child.fingerprint, child);
      queue.push(child);
    }
  }
  for (const record of [...revoked, ...descendants.values()]) {
    // Every fingerprint above the record (stored path plus parent, as the verifier checks them).
    const above = new Set(record.ancestors);
    if (record.parentFingerprint !== undefined) above.add(record.parentFingerprint);
    let earliest: number | undefined;
    for (const fingerprint of above) {
      const at = revokedAt.get(fingerprint);
      if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
    }
    if (earliest === undefined) continue;
    const own = entries.get(record.fingerprint);
    if (own !== undefined) {
      // A directly revoked certificate keeps its own reason (keyCompromise says more than privilegeWithdrawn) but
      // dates from an ancestor's revocation when that came first.
      if (earliest < own.revokedAt) own.revokedAt = earliest;
      continue;
    }
    entries.set(record.fingerprint, {
      serialNumber: record.serialNumber,
      revokedAt: earliest,
      reason: X509CrlReason.privilegeWithdrawn,
    });
  }
  return [...entries.values()];
}
