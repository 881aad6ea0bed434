/**
 * Wires the core services over a runtime's ports. Local mode, the unit tests, the bootstrap function and
 * `awsContextProvider` call this, so every runtime runs the same CA and verifier with the same configuration rules.
 * (The route-group Lambdas compose only the services they use, from the same factories: functions/lambda/*.ts.)
 */
import { createAuditLog } from './audit-log-factory.js';
import { createCertificateAuthority } from './ca-factory.js';
import type { AppConfig } from './config.js';
import type { AppContext, Ports } from './context.js';
import { createVerifier } from './verifier-factory.js';

export { crlUrlFor } from './ca-factory.js';

export function assembleContext(ports: Ports, config: AppConfig): AppContext {
  return {
    ...ports,
    config,
    ca: createCertificateAuthority(ports, config),
    verifier: createVerifier(ports, config),
    auditLog: createAuditLog(ports, config),
  };
}
