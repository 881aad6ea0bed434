/**
 * Unauthenticated routes: GET /health, GET /v1/ca/chain, GET /v1/crl. A public route names its tenant with
 * `?tenant=`; local mode defaults it to its one tenant. An unknown tenant answers 404.
 */
import type { AppContext, Provider } from '../src/app/context.js';
import { invalidRequest, notFound } from '../src/core/errors.js';
import { type ApiRequest, createApiHandler } from '../src/http/api-handler.js';
import { crlResponse } from '../src/http/crl-response.js';
import { parseQuery } from '../src/http/request.js';
import { json, text } from '../src/http/responses.js';
import { tenantQuerySchema } from '../src/http/schemas.js';
import { routes } from './routes.js';

/** What the public routes use: the CA (chain, CRL), the CA store (known tenants) and the configuration. */
export type PublicContext = Pick<AppContext, 'ca' | 'caStore' | 'config'>;

async function knownTenant({ event, ctx }: ApiRequest<PublicContext>): Promise<string> {
  const tenant = parseQuery(event, tenantQuerySchema).tenant ?? ctx.config.defaultTenantId;
  if (tenant === undefined) throw invalidRequest('tenant is required', 'tenant');
  if (tenant === ctx.config.defaultTenantId) await ensureDefaultTenant(ctx, tenant);
  if (!(await ctx.caStore.getTenant(tenant))) throw notFound('tenant');
  return tenant;
}

/** Local mode's one tenant always exists: its issuing CA is created on first use. */
async function ensureDefaultTenant(ctx: PublicContext, tenant: string): Promise<void> {
  await ctx.ca.ensureRoot();
  await ctx.ca.ensureTenant(tenant);
}

/** The Lambda handler is wired in functions/lambda/public.ts. */
export const createPublicHandler = (contextProvider: Provider<PublicContext>) =>
  createApiHandler<PublicContext>({
    name: 'public',
    routes: routes.filter((route) => route.group === 'public'),
    contextProvider,
    implementations: {
      'GET /health': async () => json(200, { status: 'ok' }),
      'GET /v1/ca/chain': async (request: ApiRequest<PublicContext>) =>
        text(200, 'application/x-pem-file', await request.ctx.ca.chainPem(await knownTenant(request))),
      'GET /v1/crl': async (request: ApiRequest<PublicContext>) =>
        crlResponse(await request.ctx.ca.currentCrl(await knownTenant(request)), request.event.headers),
    },
  });
