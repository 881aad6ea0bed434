/**
 * The one authorization policy (docs/api.md §1 and §3): a pure function of who asks, what they want to do and the
 * resource as it stands now. Every route and service asks it; nothing else decides who may do what.
 *
 * Order of the checks, each answering with the contract's code:
 * 1. role: the role may not take the action at all → FORBIDDEN;
 * 2. tenant: the resource belongs to another tenant → NOT_FOUND (another tenant's id is never confirmed to exist);
 * 3. ownership, for an `agent` key: it signs only as its own agent, creates only its own sub-agents, and issues only
 *    to its sub-agents under one of its own agent's certificates → FORBIDDEN;
 * 4. suspension, for the actions that put an agent to work: the agent acted on and every agent above it must be
 *    active → AGENT_SUSPENDED. A chain that could not be read completely counts as suspended (fail closed).
 */
import { KakuninError } from '../errors.js';
import type { AgentRecord, ApiKeyRole } from '../model.js';
import { ACTS_AS_AGENT, type Action, roleMayTake } from './policy.js';

export interface AuthorizationPrincipal {
  tenantId: string;
  role: ApiKeyRole;
  /** Set for (and only for) an `agent` key: the agent it is bound to. */
  agentId?: string;
}

/** What the policy needs of an agent: who it is, where it hangs and whether it is active. */
export type ChainAgent = Pick<AgentRecord, 'tenantId' | 'id' | 'status' | 'parentAgentId'>;

export interface AuthorizationResource {
  /** The tenant the resource lives in. */
  tenantId: string;
  /**
   * The agent acted on and every agent above it, root first, the agent itself last (`loadAgentChain`). Absent for
   * actions on no agent (listing, API keys, certificates, verification, an admin creating a top-level agent).
   */
  agentChain?: readonly ChainAgent[];
  /**
   * `certificate:issue` only: the agent that holds the requested parent certificate, or null when the request names
   * no parent certificate (or one that does not exist).
   */
  parentCertificateAgentId?: string | null;
}

export type Decision =
  | { allowed: true }
  | { allowed: false; code: 'FORBIDDEN' | 'NOT_FOUND' | 'AGENT_SUSPENDED'; message: string; field?: string };

const ALLOW: Decision = { allowed: true };
const deny = (code: 'FORBIDDEN' | 'NOT_FOUND' | 'AGENT_SUSPENDED', message: string, field?: string): Decision =>
  field === undefined ? { allowed: false, code, message } : { allowed: false, code, message, field };

export function authorize(
  principal: AuthorizationPrincipal,
  action: Action,
  resource: AuthorizationResource,
): Decision {
  if (!roleMayTake(principal.role, action)) {
    return deny('FORBIDDEN', `the ${principal.role} role may not ${describe(action)}`);
  }
  if (resource.tenantId !== principal.tenantId) return deny('NOT_FOUND', 'not found');
  const chain = resource.agentChain;
  if (chain?.some((agent) => agent.tenantId !== principal.tenantId)) {
    return deny('NOT_FOUND', 'agent not found');
  }
  const target = chain?.at(-1);
  if (principal.role === 'agent') {
    const ownership = agentKeyOwnership(principal.agentId, action, target, resource.parentCertificateAgentId);
    if (ownership !== undefined) return ownership;
  }
  if (ACTS_AS_AGENT.has(action) && chain !== undefined) {
    if (!isUnbrokenChain(chain)) return deny('AGENT_SUSPENDED', 'the agent chain could not be read completely');
    const suspended = lastSuspended(chain);
    if (suspended !== undefined) {
      return deny(
        'AGENT_SUSPENDED',
        suspended === target ? 'the agent is suspended' : `an ancestor agent (${suspended.id}) is suspended`,
      );
    }
  }
  return ALLOW;
}

/** `authorize`, throwing the contract error when denied. */
export function assertAuthorized(
  principal: AuthorizationPrincipal,
  action: Action,
  resource: AuthorizationResource,
): void {
  const decision = authorize(principal, action, resource);
  if (!decision.allowed) {
    throw new KakuninError(
      decision.code,
      decision.message,
      decision.field === undefined ? {} : { field: decision.field },
    );
  }
}

/** What an `agent` key may do beyond its role (docs/api.md §3: itself, and delegation to its own sub-agents). */
function agentKeyOwnership(
  own: string | undefined,
  action: Action,
  target: ChainAgent | undefined,
  parentCertificateAgentId: string | null | undefined,
): Decision | undefined {
  if (own === undefined) return deny('FORBIDDEN', 'an agent key must be bound to an agent');
  switch (action) {
    case 'agent:create':
      // The parent-to-be is the key's own agent, always: an agent key cannot place a new agent anywhere else.
      return target?.id === own ? undefined : deny('FORBIDDEN', 'an agent key creates only its own sub-agents');
    case 'agent:sign':
      return target?.id === own ? undefined : deny('FORBIDDEN', 'an agent key signs only as its own agent');
    case 'certificate:issue':
      if (target === undefined || target.parentAgentId !== own) {
        return deny('FORBIDDEN', 'an agent key issues certificates only to its own sub-agents');
      }
      if (parentCertificateAgentId !== own) {
        return deny(
          'FORBIDDEN',
          "an agent key issues only under one of its own agent's certificates",
          'parentFingerprint',
        );
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The suspended agent nearest the target (the one to name in the answer), if any. */
function lastSuspended(chain: readonly ChainAgent[]): ChainAgent | undefined {
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    if (chain[i]?.status !== 'active') return chain[i];
  }
  return undefined;
}

/** Root first, each agent's parent right before it, the root without a parent: anything else is a broken read. */
function isUnbrokenChain(chain: readonly ChainAgent[]): boolean {
  if (chain.length === 0 || chain[0]?.parentAgentId !== undefined) return false;
  for (let i = 1; i < chain.length; i += 1) {
    if (chain[i]?.parentAgentId !== chain[i - 1]?.id) return false;
  }
  return true;
}

const DESCRIPTIONS: Record<Action, string> = {
  'apiKey:create': 'create API keys',
  'agent:create': 'create agents',
  'agent:list': 'list agents',
  'agent:read': 'read agents',
  'agent:update': 'update agents',
  'certificate:issue': 'issue certificates',
  'agent:sign': 'sign for an agent',
  'certificate:read': 'read certificates',
  'certificate:revoke': 'revoke certificates',
  'action:verify': 'verify actions',
  'monitoring:read': "read agents' behavioural statistics and risk",
  'baseline:lock': 'lock baselines',
  'webhook:manage': 'manage webhooks',
  'audit:read': 'read the audit ledger',
  'audit:readKey': "read the audit ledger's verifier key",
};
const describe = (action: Action): string => DESCRIPTIONS[action];
