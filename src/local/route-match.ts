/**
 * Route lookup for the local server, on the same matcher the handlers use (src/http/router.ts), so local mode and
 * the deployed API agree on what a path means. Anything that matches no route (or matches a path under another
 * method) is a 404 NOT_FOUND, as deployed.
 */
import { matchRoute as matchTable } from '../http/router.js';

/** One row of the route table, in the shape the local server needs (adapted from functions/routes.ts). */
export interface LocalRoute {
  method: string;
  /** API Gateway resource pattern, e.g. `/v1/agents/{id}/sign`. */
  path: string;
  /** The handler group (one Lambda function) serving the route. */
  group: string;
  /** Public routes need no API key (docs/api.md §1: /health, /v1/ca/chain, /v1/crl). */
  isPublic: boolean;
}

export interface RouteMatch {
  route: LocalRoute;
  /** Decoded path parameters, or null when the pattern has none (API Gateway's convention). */
  pathParameters: Record<string, string> | null;
}

/** Longest path worth matching: anything longer is not one of ours. */
const MAX_PATH_LENGTH = 2_048;

export function matchRoute(routes: readonly LocalRoute[], method: string, path: string): RouteMatch | undefined {
  if (path.length > MAX_PATH_LENGTH) return undefined;
  const match = matchTable(routes, method, path);
  if (match === undefined) return undefined;
  // A `{name}` segment is one path segment; an encoded slash inside it would name a different resource.
  if (Object.values(match.params).some((value) => value.includes('/'))) return undefined;
  return { route: match.route, pathParameters: Object.keys(match.params).length === 0 ? null : match.params };
}
