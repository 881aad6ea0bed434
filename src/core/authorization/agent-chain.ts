/**
 * The agent chain an authorization decision needs: the agent and every agent above it, root first. `parentAgentId`
 * never changes after creation, so the chain's shape is fixed; only the statuses and settings read here are live.
 */
import type { AgentStore } from '../../ports.js';
import type { AgentRecord } from '../model.js';
import { callPort } from '../verification/port-call.js';

/**
 * How many agents a chain may hold: a root and 16 levels of sub-agents, the same bound as certificate delegation
 * (MAX_DELEGATION_DEPTH), so the reads stay bounded and a cycle in a corrupt store cannot loop.
 */
export const MAX_AGENT_CHAIN = 17;

/**
 * Root first, `agentId` last; undefined when the agent is unknown in the tenant. When an ancestor is missing or the
 * chain is longer than MAX_AGENT_CHAIN, the chain returned starts at an agent that still names a parent: `authorize`
 * treats such a broken chain as suspended (fail closed).
 */
export async function loadAgentChain(
  agents: Pick<AgentStore, 'get'>,
  tenantId: string,
  agentId: string,
): Promise<AgentRecord[] | undefined> {
  const agent = await callPort('agent store', () => agents.get(tenantId, agentId));
  if (agent === undefined) return undefined;
  const chain = [agent];
  const seen = new Set([agent.id]);
  let next = agent.parentAgentId;
  while (next !== undefined && chain.length < MAX_AGENT_CHAIN && !seen.has(next)) {
    const id = next;
    const parent = await callPort('agent store', () => agents.get(tenantId, id));
    if (parent === undefined) break;
    chain.push(parent);
    seen.add(parent.id);
    next = parent.parentAgentId;
  }
  return chain.reverse();
}
