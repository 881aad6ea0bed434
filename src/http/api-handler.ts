/**
 * The shared shell of every route-group Lambda: route matching (404 for unknown route or method), the role gate,
 * the one error mapping, structured request logs and metrics (middy + Powertools). Route implementations only
 * parse, call a service and map the result.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { AppContext, Provider } from '../app/context.js';
import { DependencyError, KakuninError } from '../core/errors.js';
import type { ApiKeyRole } from '../core/model.js';
import { errorResponse } from './error-response.js';
import { logger, metrics, recordRequest } from './observability.js';
import { type Principal, principalFromEvent } from './principal.js';
import { matchRoute } from './router.js';

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface ApiRoute {
  method: string;
  path: string;
  public: boolean;
  roles: readonly ApiKeyRole[];
}

/** `C`: the part of the application context the route group uses (its Lambda builds only that). */
export interface ApiRequest<C = AppContext> {
  event: APIGatewayProxyEvent;
  ctx: C;
  params: Record<string, string>;
}

export interface AuthenticatedRequest<C = AppContext> extends ApiRequest<C> {
  principal: Principal;
}

export type PublicImplementation<C = AppContext> = (request: ApiRequest<C>) => Promise<APIGatewayProxyResult>;
export type RouteImplementation<C = AppContext> = (request: AuthenticatedRequest<C>) => Promise<APIGatewayProxyResult>;

export interface ApiHandlerOptions<C = AppContext> {
  /** Function name for logs. */
  name: string;
  routes: readonly ApiRoute[];
  contextProvider: Provider<C>;
  /** Keyed `METHOD /path/{param}`; every route must have one (checked when the handler is built). */
  implementations: Record<string, RouteImplementation<C> | PublicImplementation<C>>;
}

const keyOf = (route: ApiRoute) => `${route.method} ${route.path}`;

/** The context is built once per container; failing to build it is a dependency failure (503), not a bad request. */
async function loadContext<C>(provider: Provider<C>): Promise<C> {
  try {
    return await provider();
  } catch (error) {
    throw new DependencyError('application context unavailable', error);
  }
}

export function createApiHandler<C = AppContext>(options: ApiHandlerOptions<C>): ApiHandler {
  for (const route of options.routes) {
    if (!options.implementations[keyOf(route)])
      throw new Error(`${options.name}: no implementation for ${keyOf(route)}`);
  }

  const serve = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const started = performance.now();
    const method = typeof event?.httpMethod === 'string' ? event.httpMethod : '';
    const match = matchRoute(options.routes, method, typeof event?.path === 'string' ? event.path : '');
    let principal: Principal | undefined;
    let response: APIGatewayProxyResult;
    try {
      if (!match) throw new KakuninError('NOT_FOUND', 'no such route');
      const implementation = options.implementations[keyOf(match.route)]!;
      if (match.route.public) {
        const ctx = await loadContext(options.contextProvider);
        response = await (implementation as PublicImplementation<C>)({ event, ctx, params: match.params });
      } else {
        principal = principalFromEvent(event);
        if (!principal) throw new KakuninError('UNAUTHENTICATED', 'a valid API key is required');
        if (!match.route.roles.includes(principal.role)) {
          throw new KakuninError('FORBIDDEN', `the ${principal.role} role may not call this route`);
        }
        const ctx = await loadContext(options.contextProvider);
        response = await implementation({ event, ctx, params: match.params, principal });
      }
    } catch (error) {
      response = errorResponse(error, logger);
    }
    recordRequest();
    logger.info('request', {
      method,
      route: match?.route.path ?? 'unmatched',
      status: response.statusCode,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(principal === undefined
        ? {}
        : { tenantId: principal.tenantId, role: principal.role, keyId: principal.keyId }),
    });
    return response;
  };

  const wrapped = middy(serve)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use({
      // Only middy itself can fail outside `serve` (its early-timeout guard): still a contract answer, never a 5xx.
      onError: async (request) => {
        request.response = errorResponse(request.error, logger);
      },
    });
  return (event, context) => wrapped(event, context) as Promise<APIGatewayProxyResult>;
}
