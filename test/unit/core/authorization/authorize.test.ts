/**
 * The whole authorization matrix, table-driven: role × action × own/other agent × own/other tenant × agent status
 * (active, suspended itself, an ancestor suspended). The expectations are written out by hand from docs/api.md §1 and
 * §3, not derived from the policy table they check.
 */
import { describe, expect, it } from 'vitest';
import { authorize, type ChainAgent } from '../../../../src/core/authorization/authorize.js';
import { ACTIONS, type Action } from '../../../../src/core/authorization/policy.js';
import type { ApiKeyRole } from '../../../../src/core/model.js';

const T1 = 't1';
const T2 = 't2';
const agentOf = (id: string, parent?: string, tenantId = T1): ChainAgent => ({
  tenantId,
  id,
  status: 'active',
  ...(parent === undefined ? {} : { parentAgentId: parent }),
});

/**
 * What each role may do, by hand from docs/api.md §1:
 * - 'allow': the role may, on any resource of its tenant;
 * - 'deny': never (FORBIDDEN);
 * - 'own': an agent key only on its own agent / sub-agent (FORBIDDEN otherwise), suspension applies;
 * - 'active': allowed while the agent chain is active (AGENT_SUSPENDED otherwise).
 */
type Rule = 'allow' | 'deny' | 'own' | 'active';
const EXPECTED: Record<ApiKeyRole, Record<Action, Rule>> = {
  admin: {
    'apiKey:create': 'allow',
    // Under an agent (the chain given): never below a suspended one. A top-level agent has no chain at all.
    'agent:create': 'active',
    'agent:list': 'allow',
    'agent:read': 'allow',
    'agent:update': 'allow',
    'certificate:issue': 'active',
    'agent:sign': 'active',
    'certificate:read': 'allow',
    'certificate:revoke': 'allow',
    'action:verify': 'allow',
    'audit:read': 'allow',
    'audit:readKey': 'allow',
  },
  verifier: {
    'apiKey:create': 'deny',
    'agent:create': 'deny',
    'agent:list': 'deny',
    'agent:read': 'deny',
    'agent:update': 'deny',
    'certificate:issue': 'deny',
    'agent:sign': 'deny',
    'certificate:read': 'allow',
    'certificate:revoke': 'deny',
    'action:verify': 'allow',
    'audit:read': 'deny',
    'audit:readKey': 'allow',
  },
  agent: {
    'apiKey:create': 'deny',
    'agent:create': 'own',
    'agent:list': 'deny',
    'agent:read': 'deny',
    'agent:update': 'deny',
    'certificate:issue': 'own',
    'agent:sign': 'own',
    'certificate:read': 'allow',
    'certificate:revoke': 'deny',
    'action:verify': 'allow',
    'audit:read': 'deny',
    'audit:readKey': 'allow',
  },
};

type Owner = 'own' | 'other';
type Status = 'active' | 'self-suspended' | 'ancestor-suspended';

/**
 * The agent key is bound to `me` (under `root`). "Own agent" is what the key may act on: itself to sign or to create
 * a sub-agent, its sub-agent `kid` (under its own certificate) to issue. "Other agent" is `stranger` (under `boss`).
 */
function resourceFor(action: Action, owner: Owner, tenant: 'own' | 'other', status: Status) {
  const tenantId = tenant === 'own' ? T1 : T2;
  const base =
    owner === 'own'
      ? action === 'certificate:issue'
        ? [agentOf('root', undefined, tenantId), agentOf('me', 'root', tenantId), agentOf('kid', 'me', tenantId)]
        : [agentOf('root', undefined, tenantId), agentOf('me', 'root', tenantId)]
      : [agentOf('boss', undefined, tenantId), agentOf('stranger', 'boss', tenantId)];
  const chain = base.map((agent, i) => {
    const suspended =
      (status === 'self-suspended' && i === base.length - 1) || (status === 'ancestor-suspended' && i === 0);
    return suspended ? { ...agent, status: 'suspended' as const } : agent;
  });
  const onAgent = action === 'agent:create' || action === 'certificate:issue' || action === 'agent:sign';
  return {
    tenantId,
    ...(onAgent ? { agentChain: chain } : {}),
    ...(action === 'certificate:issue' ? { parentCertificateAgentId: owner === 'own' ? 'me' : 'stranger' } : {}),
  };
}

function expected(role: ApiKeyRole, action: Action, owner: Owner, tenant: 'own' | 'other', status: Status): string {
  const rule = EXPECTED[role][action];
  if (rule === 'deny') return 'FORBIDDEN';
  if (tenant === 'other') return 'NOT_FOUND';
  if (rule === 'own' && owner === 'other') return 'FORBIDDEN';
  if ((rule === 'own' || rule === 'active') && status !== 'active') return 'AGENT_SUSPENDED';
  return 'allowed';
}

const ROLES: ApiKeyRole[] = ['admin', 'verifier', 'agent'];
const OWNERS: Owner[] = ['own', 'other'];
const TENANTS = ['own', 'other'] as const;
const STATUSES: Status[] = ['active', 'self-suspended', 'ancestor-suspended'];
const MATRIX = ROLES.flatMap((role) =>
  ACTIONS.flatMap((action) =>
    OWNERS.flatMap((owner) =>
      TENANTS.flatMap((tenant) => STATUSES.map((status) => [role, action, owner, tenant, status] as const)),
    ),
  ),
);

describe('authorize: the whole matrix', () => {
  it('covers every role and action', () => {
    expect(MATRIX).toHaveLength(3 * ACTIONS.length * 2 * 2 * 3);
  });

  it.each(MATRIX)('%s %s (agent %s, tenant %s, %s)', (role, action, owner, tenant, status) => {
    const principal = { tenantId: T1, role, ...(role === 'agent' ? { agentId: 'me' } : {}) };
    const decision = authorize(principal, action, resourceFor(action, owner, tenant, status));
    expect(decision.allowed ? 'allowed' : decision.code).toBe(expected(role, action, owner, tenant, status));
  });
});

describe('authorize: edges the matrix does not reach', () => {
  const me = { tenantId: T1, role: 'agent' as const, agentId: 'me' };
  const chain = [agentOf('root'), agentOf('me', 'root'), agentOf('kid', 'me')];

  it("refuses an agent key issuing to its sub-agent under another agent's certificate", () => {
    const decision = authorize(me, 'certificate:issue', {
      tenantId: T1,
      agentChain: chain,
      parentCertificateAgentId: 'x',
    });
    expect(decision).toMatchObject({ allowed: false, code: 'FORBIDDEN', field: 'parentFingerprint' });
  });

  it('refuses an agent key issuing without a parent certificate (a top-level certificate is the admin’s)', () => {
    const decision = authorize(me, 'certificate:issue', {
      tenantId: T1,
      agentChain: chain,
      parentCertificateAgentId: null,
    });
    expect(decision).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
  });

  it('refuses an agent key issuing to a grandchild (only direct sub-agents)', () => {
    const deeper = [...chain, agentOf('grandkid', 'kid')];
    const decision = authorize(me, 'certificate:issue', {
      tenantId: T1,
      agentChain: deeper,
      parentCertificateAgentId: 'me',
    });
    expect(decision).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
  });

  it('treats a chain with a missing link as suspended (fail closed)', () => {
    const broken = [agentOf('me', 'root')];
    expect(authorize(me, 'agent:sign', { tenantId: T1, agentChain: broken })).toMatchObject({
      allowed: false,
      code: 'AGENT_SUSPENDED',
    });
    const admin = { tenantId: T1, role: 'admin' as const };
    expect(authorize(admin, 'agent:sign', { tenantId: T1, agentChain: [] })).toMatchObject({
      code: 'AGENT_SUSPENDED',
    });
  });

  it('answers NOT_FOUND for an agent of another tenant inside the chain', () => {
    const mixed = [agentOf('root', undefined, T2), agentOf('me', 'root')];
    expect(authorize(me, 'agent:sign', { tenantId: T1, agentChain: mixed })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an agent key bound to no agent', () => {
    const unbound = { tenantId: T1, role: 'agent' as const };
    expect(authorize(unbound, 'agent:sign', { tenantId: T1, agentChain: chain.slice(0, 2) })).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('names the suspended ancestor in the message', () => {
    const suspendedRoot = [{ ...agentOf('root'), status: 'suspended' as const }, agentOf('me', 'root')];
    const decision = authorize(me, 'agent:create', { tenantId: T1, agentChain: suspendedRoot });
    expect(decision).toMatchObject({ code: 'AGENT_SUSPENDED', message: expect.stringContaining('root') });
  });
});
