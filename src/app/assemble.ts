/**
 * Wires the core services over a runtime's ports. Lambda (aws-context.ts), local mode and the unit tests all call
 * this, so every runtime runs the same CA and verifier with the same configuration rules.
 */
import { CertificateAuthority } from '../core/ca/certificate-authority.js';
import { ActionVerifier } from '../core/verification/action-verifier.js';
import type { AppConfig } from './config.js';
import type { AppContext, Ports } from './context.js';

/** CRL distribution point of a tenant's certificates: the public, unauthenticated `GET /v1/crl` route. */
export function crlUrlFor(publicBaseUrl: string, tenantId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/v1/crl?tenant=${encodeURIComponent(tenantId)}`;
}

export function assembleContext(ports: Ports, config: AppConfig): AppContext {
  const ca = new CertificateAuthority({
    vault: ports.vault,
    caStore: ports.caStore,
    certificates: ports.certificates,
    clock: ports.clock,
    random: ports.random,
    config: {
      ...(config.scopeOid === undefined ? {} : { scopeOid: config.scopeOid }),
      crlUrl: (tenantId: string) => crlUrlFor(config.publicBaseUrl, tenantId),
    },
  });
  const verifier = new ActionVerifier({
    certificates: ports.certificates,
    agents: ports.agents,
    nonces: ports.nonces,
    velocity: ports.velocity,
    ledger: ports.ledger,
    stream: ports.stream,
    risk: ports.risk,
    clock: ports.clock,
    config: { timestampWindowMs: config.timestampWindowMs },
  });
  return { ...ports, config, ca, verifier };
}
