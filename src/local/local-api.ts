/**
 * Wires the deployed API's own pieces into the local server: the route table (functions/routes.ts), one handler per
 * route group (the same factories the Lambda entry points use) and the authorizer's key check.
 */

import { createAgentsHandler } from '../../functions/agents.js';
import { createAuditHandler } from '../../functions/audit.js';
import { authenticate } from '../../functions/authorizer.js';
import { createCertificatesHandler } from '../../functions/certificates.js';
import { createPublicHandler } from '../../functions/public.js';
import { type RouteGroup, routes } from '../../functions/routes.js';
import { createVerifyHandler } from '../../functions/verify.js';
import type { AppContext } from '../app/context.js';
import type { LocalRoute } from './route-match.js';
import type { LocalApi, ProxyHandler } from './server.js';

export function createLocalApi(context: AppContext): LocalApi {
  const provider = async () => context;
  const handlers: Record<RouteGroup, ProxyHandler> = {
    public: createPublicHandler(provider),
    agents: createAgentsHandler(provider),
    certificates: createCertificatesHandler(provider),
    verify: createVerifyHandler(provider),
    audit: createAuditHandler(provider),
  };
  const localRoutes: LocalRoute[] = routes.map((route) => ({
    method: route.method,
    path: route.path,
    group: route.group,
    isPublic: route.public,
  }));
  return {
    routes: localRoutes,
    handlerFor: (group) => (Object.hasOwn(handlers, group) ? handlers[group as RouteGroup] : undefined),
    authenticate: (header) => authenticate(context, header),
  };
}
