/**
 * The one list of implemented routes. Each group handler serves exactly its rows; local mode dispatches by it; the
 * OpenAPI test checks the document against it. `roles` is the role gate checked before a handler runs; finer rules
 * (an agent key acting only on itself or its sub-agents) live in the handlers.
 */
import type { ApiKeyRole } from '../src/core/model.js';

export type RouteGroup = 'public' | 'agents' | 'certificates' | 'verify' | 'audit';
export type HttpMethod = 'GET' | 'POST' | 'PATCH';

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway resource syntax: `{name}` matches one non-empty path segment. */
  path: string;
  group: RouteGroup;
  public: boolean;
  /** Roles that may call the route at all; empty for public routes. */
  roles: readonly ApiKeyRole[];
}

const ALL: readonly ApiKeyRole[] = ['admin', 'verifier', 'agent'];
const ADMIN: readonly ApiKeyRole[] = ['admin'];
const ADMIN_AGENT: readonly ApiKeyRole[] = ['admin', 'agent'];

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', group: 'public', public: true, roles: [] },
  { method: 'GET', path: '/v1/ca/chain', group: 'public', public: true, roles: [] },
  { method: 'GET', path: '/v1/crl', group: 'public', public: true, roles: [] },
  { method: 'POST', path: '/v1/api-keys', group: 'agents', public: false, roles: ADMIN },
  { method: 'POST', path: '/v1/agents', group: 'agents', public: false, roles: ADMIN_AGENT },
  { method: 'GET', path: '/v1/agents', group: 'agents', public: false, roles: ADMIN },
  { method: 'GET', path: '/v1/agents/{id}', group: 'agents', public: false, roles: ADMIN },
  { method: 'PATCH', path: '/v1/agents/{id}', group: 'agents', public: false, roles: ADMIN },
  { method: 'POST', path: '/v1/agents/{id}/certificates', group: 'certificates', public: false, roles: ADMIN_AGENT },
  { method: 'POST', path: '/v1/agents/{id}/sign', group: 'certificates', public: false, roles: ADMIN_AGENT },
  { method: 'GET', path: '/v1/certificates/{fingerprint}', group: 'certificates', public: false, roles: ALL },
  { method: 'POST', path: '/v1/certificates/{fingerprint}/revoke', group: 'certificates', public: false, roles: ADMIN },
  { method: 'POST', path: '/v1/actions/verify', group: 'verify', public: false, roles: ALL },
  { method: 'GET', path: '/v1/audit', group: 'audit', public: false, roles: ADMIN },
  { method: 'GET', path: '/v1/audit/export', group: 'audit', public: false, roles: ADMIN },
  { method: 'GET', path: '/v1/audit/verify', group: 'audit', public: false, roles: ADMIN },
  { method: 'GET', path: '/v1/audit/checkpoint', group: 'audit', public: false, roles: ADMIN },
  { method: 'GET', path: '/v1/audit/checkpoint/key', group: 'audit', public: false, roles: ALL },
  { method: 'GET', path: '/v1/audit/consistency', group: 'audit', public: false, roles: ADMIN },
  { method: 'GET', path: '/v1/audit/{id}/proof', group: 'audit', public: false, roles: ADMIN },
];

/** `METHOD /path/{param}`: the key a group handler implements a route under. */
export type RouteKey = `${HttpMethod} ${string}`;
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): RouteKey => `${route.method} ${route.path}`;
