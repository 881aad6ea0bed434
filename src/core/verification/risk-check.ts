/**
 * Step 7 of docs/api.md §4 under delegation: RISK_THRESHOLD_EXCEEDED when the agent's current risk score reaches the
 * anomaly threshold, in enforce mode, where mode and threshold are the EFFECTIVE ones: the strictest along the
 * agent's chain (`effectiveMonitoringSettings`), so an agent is never watched more loosely than any agent above it.
 */
import { effectiveMonitoringSettings } from '../authorization/effective-settings.js';
import { type Rejection, reject } from './rejection.js';
import type { VerificationContext } from './verification-context.js';

/** Only called after `checkAgents` passed, so the agent and every ancestor agent were read and are active. */
export function checkRisk(context: Pick<VerificationContext, 'agent' | 'agents' | 'riskScore'>): Rejection | undefined {
  if (context.agent === undefined) return reject('AGENT_SUSPENDED', 'the agent of this certificate is not active');
  const settings = effectiveMonitoringSettings(context.agents.length === 0 ? [context.agent] : context.agents);
  if (settings.mode !== 'enforce' || context.riskScore < settings.anomalyThreshold) return undefined;
  return reject('RISK_THRESHOLD_EXCEEDED', 'agent risk score is at or above its effective anomaly threshold');
}
