/**
 * Stand-ins that load a heavy implementation on first use. A Lambda that needs the CA or the KMS vault only on some
 * routes (public: CRL and chain, not /health; certificates: issuance and signing, not reads) keeps x509, the ASN.1
 * schemas and the KMS client out of its cold start. The module is loaded once per container; a failed load is
 * retried on the next call.
 */
import type { CertificateAuthorityService } from '../core/services.js';
import type { KeyVault } from '../ports.js';
import { cachedProvider } from './cached-provider.js';

export function lazyKeyVault(load: () => Promise<KeyVault>): KeyVault {
  const vault = cachedProvider(load);
  return {
    createKey: async (spec, tags) => (await vault()).createKey(spec, tags),
    getPublicKey: async (keyId) => (await vault()).getPublicKey(keyId),
    sign: async (keyId, message, algorithm) => (await vault()).sign(keyId, message, algorithm),
    scheduleDeletion: async (keyId) => (await vault()).scheduleDeletion(keyId),
  };
}

export function lazyCertificateAuthority(
  load: () => Promise<CertificateAuthorityService>,
): CertificateAuthorityService {
  const ca = cachedProvider(load);
  return {
    ensureRoot: async () => (await ca()).ensureRoot(),
    ensureTenant: async (tenantId) => (await ca()).ensureTenant(tenantId),
    issue: async (request) => (await ca()).issue(request),
    state: async (tenantId, fingerprint) => (await ca()).state(tenantId, fingerprint),
    revoke: async (tenantId, fingerprint, reason) => (await ca()).revoke(tenantId, fingerprint, reason),
    crl: async (tenantId) => (await ca()).crl(tenantId),
    currentCrl: async (tenantId) => (await ca()).currentCrl(tenantId),
    refreshCrlIfDue: async (tenantId) => (await ca()).refreshCrlIfDue(tenantId),
    refreshPublishedCrls: async () => (await ca()).refreshPublishedCrls(),
    chainPem: async (tenantId) => (await ca()).chainPem(tenantId),
  };
}
