/** The action verifier over a runtime's ports (no CA, no x509: the verify function bundles only this). */

import type { ActionVerifierService } from '../core/services.js';
import { ActionVerifier } from '../core/verification/action-verifier.js';
import type { AppConfig } from './config.js';
import type { Ports } from './context.js';

export type VerifierPorts = Pick<
  Ports,
  'certificates' | 'agents' | 'nonces' | 'velocity' | 'ledger' | 'stream' | 'risk' | 'clock'
>;

export function createVerifier(
  ports: VerifierPorts,
  config: Pick<AppConfig, 'timestampWindowMs' | 'scopeOid'>,
): ActionVerifierService {
  return new ActionVerifier({
    certificates: ports.certificates,
    agents: ports.agents,
    nonces: ports.nonces,
    velocity: ports.velocity,
    ledger: ports.ledger,
    stream: ports.stream,
    risk: ports.risk,
    clock: ports.clock,
    config: {
      timestampWindowMs: config.timestampWindowMs,
      // The verifier decodes each certificate's scope under the same OID the CA writes it with.
      ...(config.scopeOid === undefined ? {} : { scopeOid: config.scopeOid }),
    },
  });
}
