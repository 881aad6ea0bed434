/** The action verifier over a runtime's ports (no CA, no x509: the verify function bundles only this). */

import type { ActionVerifierService } from '../core/services.js';
import { ActionVerifier, type StreamPublishFailure } from '../core/verification/action-verifier.js';
import type { AppConfig } from './config.js';
import type { Ports } from './context.js';

export type VerifierPorts = Pick<
  Ports,
  'certificates' | 'agents' | 'nonces' | 'velocity' | 'ledger' | 'stream' | 'clock'
>;

export interface VerifierHooks {
  /** A verified, audited action the stream refused; wire it to the logger and a metric (the default is stderr). */
  onStreamPublishFailure?: (failure: StreamPublishFailure) => void;
}

export function createVerifier(
  ports: VerifierPorts,
  config: Pick<AppConfig, 'timestampWindowMs' | 'scopeOid'>,
  hooks: VerifierHooks = {},
): ActionVerifierService {
  return new ActionVerifier({
    ...(hooks.onStreamPublishFailure === undefined ? {} : { onStreamPublishFailure: hooks.onStreamPublishFailure }),
    certificates: ports.certificates,
    agents: ports.agents,
    nonces: ports.nonces,
    velocity: ports.velocity,
    ledger: ports.ledger,
    stream: ports.stream,
    clock: ports.clock,
    config: {
      timestampWindowMs: config.timestampWindowMs,
      // The verifier decodes each certificate's scope under the same OID the CA writes it with.
      ...(config.scopeOid === undefined ? {} : { scopeOid: config.scopeOid }),
    },
  });
}
