/**
 * The monitoring settings that bind an agent: the strictest along its delegation chain (docs/api.md §3, "Delegation
 * binds the whole tree"): `enforce` when any agent on the chain enforces, and each threshold the smallest on the
 * chain. Creation and PATCH already keep a sub-agent at least as strict as its parent; taking the strictest here as
 * well means a parent tightened later binds its subtree at once, without rewriting every descendant.
 */
import type { AgentRecord } from '../model.js';

export interface MonitoringSettings {
  mode: 'observe' | 'enforce';
  warningThreshold: number;
  anomalyThreshold: number;
}

/** `chain`: the agent first, then its parent, up to the root agent. */
export function strictestSettings(
  chain: readonly Pick<AgentRecord, 'mode' | 'warningThreshold' | 'anomalyThreshold'>[],
): MonitoringSettings {
  const [first, ...rest] = chain;
  if (first === undefined) throw new RangeError('an agent chain has at least the agent itself');
  const settings: MonitoringSettings = {
    mode: first.mode,
    warningThreshold: first.warningThreshold,
    anomalyThreshold: first.anomalyThreshold,
  };
  for (const agent of rest) {
    if (agent.mode === 'enforce') settings.mode = 'enforce';
    settings.warningThreshold = Math.min(settings.warningThreshold, agent.warningThreshold);
    settings.anomalyThreshold = Math.min(settings.anomalyThreshold, agent.anomalyThreshold);
  }
  return settings;
}
