/**
 * The id of a verified action on the action stream, known before the audit entry exists so that the stream publish
 * can run beside the ledger append (docs/verification.md, "Round trips and write order"). A nonce is claimed at most
 * once per (tenant, certificate), exclusively, and only a claimed nonce can be verified, so (tenant, fingerprint,
 * nonce) names exactly one verified action: the behavioural consumer deduplicates redelivered records on it. Hashed so
 * the id has a fixed length whatever the nonce holds; the NUL separator cannot occur in any of the three (tenant ids
 * and fingerprints are restricted, nonces are [A-Za-z0-9_-] by schema).
 */
import { hash } from 'node:crypto';

export function verifiedActionId(tenantId: string, fingerprint: string, nonce: string): string {
  return `act_${hash('sha256', `${tenantId}\u0000${fingerprint}\u0000${nonce}`, 'base64url').slice(0, 32)}`;
}
