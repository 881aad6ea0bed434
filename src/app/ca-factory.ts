/**
 * The certificate authority over a runtime's ports, with the configuration rules every runtime shares. Importing this
 * module loads @peculiar/x509 and the ASN.1 schemas (≈ 200 KB of code), so Lambda entry points that use the CA only
 * on some routes load it with `await import()` (src/app/lazy-services.ts) instead of at cold start.
 */
import { CertificateAuthority } from '../core/ca/certificate-authority.js';
import type { CertificateAuthorityService } from '../core/services.js';
import type { AppConfig } from './config.js';
import type { Ports } from './context.js';

export type CaPorts = Pick<Ports, 'vault' | 'caStore' | 'certificates' | 'clock' | 'random' | 'crls'>;

/** CRL distribution point of a tenant's certificates: the public, unauthenticated `GET /v1/crl` route. */
export function crlUrlFor(publicBaseUrl: string, tenantId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/v1/crl?tenant=${encodeURIComponent(tenantId)}`;
}

export function createCertificateAuthority(ports: CaPorts, config: AppConfig): CertificateAuthorityService {
  return new CertificateAuthority({
    vault: ports.vault,
    caStore: ports.caStore,
    certificates: ports.certificates,
    clock: ports.clock,
    random: ports.random,
    ...(ports.crls === undefined ? {} : { crls: ports.crls }),
    config: {
      ...(config.scopeOid === undefined ? {} : { scopeOid: config.scopeOid }),
      crlUrl: (tenantId: string) => crlUrlFor(config.publicBaseUrl, tenantId),
    },
  });
}
