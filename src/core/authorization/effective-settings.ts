/**
 * Monitoring settings bind the subtree (docs/api.md §3, "Delegation binds the whole tree"): an agent is watched at least
 * as strictly as every agent above it. `effectiveMonitoringSettings` is what the verifier's risk step and the
 * behavioural monitor apply; `settingsLooserThanParent` is the rule at sub-agent creation and on PATCH.
 */
import type { AgentMode, AgentRecord } from '../model.js';

export type MonitoringSettings = Pick<AgentRecord, 'mode' | 'warningThreshold' | 'anomalyThreshold'>;

/**
 * The strictest settings along a chain of agents (any order): `enforce` if any agent enforces, and the lowest
 * warning and anomaly thresholds. A parent made stricter after its sub-agents were created therefore tightens them
 * at once, without rewriting their records. Throws on an empty chain (there is nothing to monitor).
 *
 * @example effectiveMonitoringSettings([root, parent, agent]).anomalyThreshold
 */
export function effectiveMonitoringSettings(chain: readonly MonitoringSettings[]): MonitoringSettings {
  if (chain.length === 0) throw new RangeError('an agent chain has at least the agent itself');
  let mode: AgentMode = 'observe';
  let warningThreshold = Number.POSITIVE_INFINITY;
  let anomalyThreshold = Number.POSITIVE_INFINITY;
  for (const agent of chain) {
    // Anything but an explicit 'observe' enforces, and a threshold that is not a number counts as 0: a corrupt
    // record can only make monitoring stricter (fail closed).
    if (agent.mode !== 'observe') mode = 'enforce';
    warningThreshold = Math.min(warningThreshold, numberOrZero(agent.warningThreshold));
    anomalyThreshold = Math.min(anomalyThreshold, numberOrZero(agent.anomalyThreshold));
  }
  return { mode, warningThreshold, anomalyThreshold };
}

const numberOrZero = (value: unknown): number => (typeof value === 'number' && !Number.isNaN(value) ? value : 0);

/**
 * The first way `settings` are looser than `parent`'s (already effective) settings, as `field: message`, or undefined
 * when they are at least as strict: mode `enforce` when the parent's is, each threshold ≤ the parent's.
 */
export function settingsLooserThanParent(
  settings: MonitoringSettings,
  parent: MonitoringSettings,
): { field: keyof MonitoringSettings; message: string } | undefined {
  if (parent.mode === 'enforce' && settings.mode !== 'enforce') {
    return { field: 'mode', message: "mode must be 'enforce': the parent agent enforces" };
  }
  for (const field of ['warningThreshold', 'anomalyThreshold'] as const) {
    if (!(settings[field] <= parent[field])) {
      return { field, message: `${field} must be at most the parent agent's (${parent[field]})` };
    }
  }
  return undefined;
}
