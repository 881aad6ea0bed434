/**
 * Agents and API keys: POST /v1/api-keys, POST/GET /v1/agents, GET/PATCH /v1/agents/{id}.
 * An `agent` key creating an agent creates its own sub-agent (parentAgentId = its agent).
 */
import { AgentService } from '../src/app/agents.js';
import { createApiKey } from '../src/app/api-keys.js';
import { awsContextProvider } from '../src/app/aws-context.js';
import type { ContextProvider } from '../src/app/context.js';
import { agentFor } from '../src/http/access.js';
import { type AuthenticatedRequest, createApiHandler } from '../src/http/api-handler.js';
import { parseBody, parseQuery } from '../src/http/request.js';
import { json } from '../src/http/responses.js';
import { createAgentSchema, createApiKeySchema, listQuerySchema, patchAgentSchema } from '../src/http/schemas.js';
import { agentView } from '../src/http/views.js';
import { routes } from './routes.js';

const service = ({ ctx }: AuthenticatedRequest) => new AgentService(ctx);

export const createAgentsHandler = (contextProvider: ContextProvider) =>
  createApiHandler({
    name: 'agents',
    routes: routes.filter((route) => route.group === 'agents'),
    contextProvider,
    implementations: {
      'POST /v1/api-keys': async (request: AuthenticatedRequest) => {
        const body = parseBody(request.event, createApiKeySchema);
        const { principal, ctx } = request;
        const { record, key } = await createApiKey(ctx, {
          tenantId: principal.tenantId,
          role: body.role,
          by: principal.keyId,
          ...(body.agentId === undefined ? {} : { agentId: body.agentId }),
        });
        return json(201, {
          id: record.id,
          role: record.role,
          ...(record.agentId === undefined ? {} : { agentId: record.agentId }),
          key,
        });
      },
      'POST /v1/agents': async (request: AuthenticatedRequest) => {
        const body = parseBody(request.event, createAgentSchema);
        const { principal } = request;
        const agent = await service(request).create(principal.tenantId, body, principal.keyId, principal.agentId);
        return json(201, agentView(agent));
      },
      'GET /v1/agents': async (request: AuthenticatedRequest) => {
        const query = parseQuery(request.event, listQuerySchema);
        const page = await service(request).list(request.principal.tenantId, query.limit, query.cursor);
        return json(200, {
          items: page.items.map(agentView),
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        });
      },
      'GET /v1/agents/{id}': async (request: AuthenticatedRequest) =>
        json(200, agentView(await agentFor(request.ctx, request.principal, request.params.id, 'read'))),
      'PATCH /v1/agents/{id}': async (request: AuthenticatedRequest) => {
        const agent = await agentFor(request.ctx, request.principal, request.params.id, 'read');
        const patch = parseBody(request.event, patchAgentSchema);
        const updated = await service(request).update(agent.tenantId, agent.id, patch, request.principal.keyId);
        return json(200, agentView(updated));
      },
    },
  });

export const handler = createAgentsHandler(awsContextProvider);
