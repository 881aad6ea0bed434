/**
 * Resource-level rights beyond the route's role gate (contract §1, §3). An `agent` key has exactly what contract §1
 * grants it: it signs only as itself and issues certificates only to its sub-agents; reading agent records is not
 * among its rights (only `admin` reads). Ids are looked up in the caller's tenant only, so another tenant's id is
 * simply not found (404).
 * Decision: an agent key acting on an agent of its tenant it has no right to gets 403 FORBIDDEN (the id exists, the
 * key lacks the right); an unknown id gets 404 either way.
 */

import type { AppContext } from '../app/context.js';
import { KakuninError, notFound } from '../core/errors.js';
import type { AgentRecord } from '../core/model.js';
import type { Principal } from './principal.js';
import { AGENT_ID_PATTERN } from './schemas.js';

export type AgentAccess = 'read' | 'sign' | 'issue';

function allowed(principal: Principal, agent: AgentRecord, access: AgentAccess): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role !== 'agent' || principal.agentId === undefined) return false;
  if (access === 'sign') return agent.id === principal.agentId;
  if (access === 'issue') return agent.parentAgentId === principal.agentId;
  return false;
}

/** The agent named by a path id if `principal` may act on it that way; 404 unknown, 403 not permitted. */
export async function agentFor(
  ctx: Pick<AppContext, 'agents'>,
  principal: Principal,
  agentId: string | undefined,
  access: AgentAccess,
): Promise<AgentRecord> {
  if (agentId === undefined || !AGENT_ID_PATTERN.test(agentId)) throw notFound('agent');
  const agent = await ctx.agents.get(principal.tenantId, agentId);
  if (!agent) throw notFound('agent');
  if (!allowed(principal, agent, access)) throw new KakuninError('FORBIDDEN', `this key may not ${access} this agent`);
  return agent;
}
