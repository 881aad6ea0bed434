/**
 * What the append-only audit ledger keeps of a webhook URL. Receivers often carry a credential in the URL itself
 * (Slack-style `/services/T000/B000/XXXX` paths, `?token=` queries, `user:pass@`), and a ledger entry can never be
 * deleted and is exported to auditors: so the entry keeps the scheme and host (enough to say where events go) and a
 * SHA-256 of the full URL (whoever holds the URL can prove it is this one), never the path, query or credentials.
 */
import { hash } from 'node:crypto';

export interface AuditedUrl {
  /** `scheme://host[:port]`, then `/…` when the URL had a path or query beyond `/`. */
  url: string;
  /** SHA-256 (hex) of the full URL as stored for delivery. */
  urlSha256: string;
}

export function auditedUrl(href: string): AuditedUrl {
  const parsed = new URL(href);
  const more = parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '';
  return { url: `${parsed.protocol}//${parsed.host}${more ? '/…' : '/'}`, urlSha256: hash('sha256', href, 'hex') };
}
