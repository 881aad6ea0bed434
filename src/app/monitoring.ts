/**
 * Composes the behavioural pipeline's services over a runtime's ports, the same way for the consumer Lambda, the
 * webhook dispatcher Lambda and local mode: the consumer revokes through `CertificateLifecycle` (the one revocation
 * path: cascade, CRL, audit entry, `agent.certificate_revoked`), and the dispatcher signs and delivers events.
 */

import type { BehaviorEngine } from '../core/behavior/index.js';
import { ActionConsumer } from '../core/monitoring/action-consumer.js';
import type { BehaviorStore } from '../ports.js';
import { CertificateLifecycle, type LifecycleDeps } from './certificate-lifecycle.js';
import type { AppContext } from './context.js';

/** The key id recorded as `by` on automatic revocations (audit payload). */
export const MONITORING_ACTOR = 'behavioral-monitoring';

export type ConsumerPorts = LifecycleDeps &
  Pick<AppContext, 'agents'> & {
    behavior: BehaviorStore;
    engine: BehaviorEngine;
    onAgentFailure?: (failure: { tenantId: string; agentId: string; error: unknown }) => void;
  };

export function createActionConsumer(ports: ConsumerPorts): ActionConsumer {
  const lifecycle = new CertificateLifecycle(ports);
  return new ActionConsumer({
    engine: ports.engine,
    behavior: ports.behavior,
    agents: ports.agents,
    events: ports.events,
    clock: ports.clock,
    revokeForAnomaly: async ({ tenantId, certificateFingerprint, riskScore, anomalyStart, actionId }) => {
      await lifecycle.revoke(tenantId, certificateFingerprint, 'anomaly', MONITORING_ACTOR, 'anomaly', {
        riskScore,
        anomalyStart,
        actionId,
      });
    },
    ...(ports.onAgentFailure === undefined ? {} : { onAgentFailure: ports.onAgentFailure }),
  });
}
