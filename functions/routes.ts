/**
 * The one list of implemented routes. Each group handler serves exactly its rows; local mode dispatches by it; the
 * OpenAPI test checks the document against it. Each protected route names the policy action it takes
 * (src/core/authorization/policy.ts); its role gate is derived from that action, and the resource rules (an agent key
 * acting only on itself or its sub-agents, suspension) are decided by `authorize` in the services.
 */
import { type Action, ROLE_GRANTS } from '../src/core/authorization/policy.js';
import type { ApiKeyRole } from '../src/core/model.js';

export type RouteGroup = 'public' | 'agents' | 'certificates' | 'verify' | 'audit';
export type HttpMethod = 'GET' | 'POST' | 'PATCH';

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway resource syntax: `{name}` matches one non-empty path segment. */
  path: string;
  group: RouteGroup;
  public: boolean;
  /** The policy action a protected route takes; absent for public routes. */
  action?: Action;
  /** Roles that may call the route at all (derived from `action`); empty for public routes. */
  roles: readonly ApiKeyRole[];
}

/** A protected route: its role gate is the policy's grant for the action. */
const protectedRoute = (method: HttpMethod, path: string, group: RouteGroup, action: Action): RouteDefinition => ({
  method,
  path,
  group,
  public: false,
  action,
  roles: ROLE_GRANTS[action],
});

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', group: 'public', public: true, roles: [] },
  { method: 'GET', path: '/v1/ca/chain', group: 'public', public: true, roles: [] },
  { method: 'GET', path: '/v1/crl', group: 'public', public: true, roles: [] },
  protectedRoute('POST', '/v1/api-keys', 'agents', 'apiKey:create'),
  protectedRoute('POST', '/v1/agents', 'agents', 'agent:create'),
  protectedRoute('GET', '/v1/agents', 'agents', 'agent:list'),
  protectedRoute('GET', '/v1/agents/{id}', 'agents', 'agent:read'),
  protectedRoute('PATCH', '/v1/agents/{id}', 'agents', 'agent:update'),
  protectedRoute('POST', '/v1/agents/{id}/certificates', 'certificates', 'certificate:issue'),
  protectedRoute('POST', '/v1/agents/{id}/sign', 'certificates', 'agent:sign'),
  protectedRoute('GET', '/v1/certificates/{fingerprint}', 'certificates', 'certificate:read'),
  protectedRoute('POST', '/v1/certificates/{fingerprint}/revoke', 'certificates', 'certificate:revoke'),
  protectedRoute('POST', '/v1/actions/verify', 'verify', 'action:verify'),
  protectedRoute('GET', '/v1/audit', 'audit', 'audit:read'),
  protectedRoute('GET', '/v1/audit/export', 'audit', 'audit:read'),
  protectedRoute('GET', '/v1/audit/verify', 'audit', 'audit:read'),
  protectedRoute('GET', '/v1/audit/checkpoint', 'audit', 'audit:read'),
  protectedRoute('GET', '/v1/audit/checkpoint/key', 'audit', 'audit:readKey'),
  protectedRoute('GET', '/v1/audit/consistency', 'audit', 'audit:read'),
  protectedRoute('GET', '/v1/audit/{id}/proof', 'audit', 'audit:read'),
];

/** `METHOD /path/{param}`: the key a group handler implements a route under. */
export type RouteKey = `${HttpMethod} ${string}`;
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): RouteKey => `${route.method} ${route.path}`;
