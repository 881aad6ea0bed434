/**
 * Structured logs and EMF metrics (Powertools), one instance per container. Logs carry route, status, latency,
 * tenant and key id; never bodies, headers, keys, signatures or PEMs.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

import type { StreamPublishFailure } from '../core/verification/action-verifier.js';
import { logger } from './logger.js';

export { logger };
export const metrics = new Metrics({ namespace: 'Kakunin', serviceName: 'kakunin-api' });

/** Every answered request (also gives each invocation at least one metric, so none publishes an empty EMF blob). */
export function recordRequest(): void {
  metrics.addMetric('Requests', MetricUnit.Count, 1);
}

/** One verification answer: `outcome` verified/rejected, and the contract code of a rejection. */
export function recordVerification(outcome: 'verified' | 'rejected', code?: string): void {
  const single = metrics.singleMetric();
  single.addDimensions({ outcome, code: code ?? 'NONE' });
  single.addMetric('Verifications', MetricUnit.Count, 1);
  if (code === 'REPLAY_DETECTED') metrics.addMetric('ReplayRejections', MetricUnit.Count, 1);
}

export function recordIssuance(): void {
  metrics.addMetric('CertificatesIssued', MetricUnit.Count, 1);
}

export function recordRevocation(): void {
  metrics.addMetric('CertificatesRevoked', MetricUnit.Count, 1);
}

/**
 * An event the bus refused after its effect happened. Only the default `service` dimension, so the stack can alarm
 * on it (CloudWatch alarms cannot use SEARCH); the event type is in the accompanying log line.
 */
export function recordEventFailure(): void {
  metrics.addMetric('EventPublishFailures', MetricUnit.Count, 1);
}

/**
 * A verified, audited action the stream refused (the verification stands; docs/verification.md). Logged with ids only
 * (never the payload or signature) and counted with the default `service` dimension, so the stack can alarm on it.
 */
export function reportStreamPublishFailure(failure: StreamPublishFailure): void {
  logger.error('stream publish failed', {
    tenantId: failure.tenantId,
    agentId: failure.agentId,
    certificateFingerprint: failure.certificateFingerprint,
    actionId: failure.actionId,
    auditId: failure.auditId,
    error: failure.error instanceof Error ? failure.error.name : 'unknown',
  });
  metrics.addMetric('StreamPublishFailures', MetricUnit.Count, 1);
}

/** Duration of one KMS request (dashboard: KMS p99 beside issuance and revocations), by operation and outcome. */
export function recordKmsCall(call: { operation: string; durationMs: number; ok: boolean }): void {
  const single = metrics.singleMetric();
  single.addDimensions({ operation: call.operation, outcome: call.ok ? 'ok' : 'error' });
  single.addMetric('KmsLatency', MetricUnit.Milliseconds, call.durationMs);
}
