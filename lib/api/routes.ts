/**
 * The API's routes come from the handlers' own list (functions/routes.ts), so API Gateway serves exactly the routes
 * the handlers implement. This file adds what only the gateway needs: the query parameters to declare for request
 * validation.
 */
import { type RouteDefinition, type RouteGroup, routeKey, routes } from '../../functions/routes.js';

export type { RouteGroup };

export interface RouteSpec extends RouteDefinition {
  /** Query string parameters the route reads (all optional). */
  query?: string[];
}

const QUERY_PARAMETERS: Record<string, string[]> = {
  'GET /v1/ca/chain': ['tenant'],
  'GET /v1/crl': ['tenant'],
  'GET /v1/agents': ['limit', 'cursor'],
  'GET /v1/audit': ['actorId', 'type', 'from', 'to', 'limit', 'cursor'],
  'GET /v1/audit/export': ['from', 'to', 'afterSeq'],
  'GET /v1/audit/{id}/proof': ['treeSize'],
  'GET /v1/audit/consistency': ['from', 'to'],
};

export const ROUTES: readonly RouteSpec[] = routes.map((route) => {
  const query = QUERY_PARAMETERS[routeKey(route)];
  return query === undefined ? { ...route } : { ...route, query };
});
