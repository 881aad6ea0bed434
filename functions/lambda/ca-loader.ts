/**
 * The CA and the KMS vault for the functions that use them on some routes only (public, certificates). Both load
 * with `await import()` on first use, so x509, the ASN.1 schemas and the KMS client stay out of the cold start of
 * /health, certificate reads and revocations. The stores are the caller's (already built, cheap).
 */
import type { AppConfig } from '../../src/app/config.js';
import type { Ports } from '../../src/app/context.js';
import { lazyCertificateAuthority, lazyKeyVault } from '../../src/app/lazy-services.js';
import type { CertificateAuthorityService } from '../../src/core/services.js';
import type { KeyVault } from '../../src/ports.js';

export const lazyKmsVault = (): KeyVault =>
  lazyKeyVault(async () => (await import('../../src/app/aws/kms.js')).createKeyVault());

/** CRLs are published in the artifact bucket (`crl/`); without one, each container keeps its own. */
export function lazyCa(
  ports: Pick<Ports, 'vault' | 'caStore' | 'certificates' | 'clock' | 'random'>,
  config: AppConfig,
): CertificateAuthorityService {
  return lazyCertificateAuthority(async () => {
    const crls =
      config.artifactBucket === undefined
        ? undefined
        : (await import('../../src/app/aws/s3.js')).createCrlStore(config.artifactBucket);
    return (await import('../../src/app/ca-factory.js')).createCertificateAuthority(
      crls === undefined ? ports : { ...ports, crls },
      config,
    );
  });
}
