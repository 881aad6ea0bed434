/**
 * The actions the API offers and which roles may take each one (docs/api.md §1: `admin` everything in its tenant;
 * `verifier` verifies and reads certificates; `agent` what `verifier` may, plus signing as itself and delegating to its
 * sub-agents). The route table (functions/routes.ts) derives its role gate from this table, so a role rule is written
 * here and nowhere else.
 */
import type { ApiKeyRole } from '../model.js';

export const ACTIONS = [
  'apiKey:create',
  'agent:create',
  'agent:list',
  'agent:read',
  'agent:update',
  'certificate:issue',
  'agent:sign',
  'certificate:read',
  'certificate:revoke',
  'action:verify',
  'monitoring:read',
  'baseline:lock',
  'webhook:manage',
  'audit:read',
  'audit:readKey',
] as const;

export type Action = (typeof ACTIONS)[number];

const ADMIN: readonly ApiKeyRole[] = ['admin'];
const ADMIN_AGENT: readonly ApiKeyRole[] = ['admin', 'agent'];
const EVERY_ROLE: readonly ApiKeyRole[] = ['admin', 'verifier', 'agent'];

/** Roles that may take an action at all; resource rules (own agent, sub-agent, suspension) come on top. */
export const ROLE_GRANTS: Readonly<Record<Action, readonly ApiKeyRole[]>> = {
  'apiKey:create': ADMIN,
  'agent:create': ADMIN_AGENT,
  'agent:list': ADMIN,
  'agent:read': ADMIN,
  'agent:update': ADMIN,
  'certificate:issue': ADMIN_AGENT,
  'agent:sign': ADMIN_AGENT,
  'certificate:read': EVERY_ROLE,
  'certificate:revoke': ADMIN,
  'action:verify': EVERY_ROLE,
  // Behavioural monitoring (docs/api.md §5, §6): stats, risk and baselines read or shape how an agent is judged, and
  // webhooks carry the tenant's events: the tenant's administrators only.
  'monitoring:read': ADMIN,
  'baseline:lock': ADMIN,
  'webhook:manage': ADMIN,
  // The ledger is the tenant's record: admin only. Its checkpoint verifier key is public knowledge for any key.
  'audit:read': ADMIN,
  'audit:readKey': EVERY_ROLE,
};

/**
 * Actions that put an agent to work (docs/api.md §3, "Delegation binds the whole tree"): refused with AGENT_SUSPENDED
 * while the agent acted on, or any agent above it, is suspended. For `agent:create` by an agent key the agent acted on
 * is the key's own agent (the parent-to-be).
 */
export const ACTS_AS_AGENT: ReadonlySet<Action> = new Set<Action>(['agent:create', 'certificate:issue', 'agent:sign']);

/** The role gate alone: whether `role` may take `action` on anything at all. */
export const roleMayTake = (role: ApiKeyRole, action: Action): boolean => ROLE_GRANTS[action].includes(role);
