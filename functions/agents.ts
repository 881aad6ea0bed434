/**
 * Agents and API keys: POST /v1/api-keys, POST/GET /v1/agents, GET/PATCH /v1/agents/{id}.
 * An `agent` key creating an agent creates its own sub-agent (parentAgentId = its agent).
 */
import { AgentService } from '../src/app/agents.js';
import { createApiKey } from '../src/app/api-keys.js';
import type { AppContext, Provider } from '../src/app/context.js';
import { type AuthenticatedRequest, createApiHandler } from '../src/http/api-handler.js';
import { pathAgentId } from '../src/http/path-params.js';
import { parseBody, parseQuery } from '../src/http/request.js';
import { json } from '../src/http/responses.js';
import { createAgentSchema, createApiKeySchema, listQuerySchema, patchAgentSchema } from '../src/http/schemas.js';
import { agentView } from '../src/http/views.js';
import { routes } from './routes.js';

/** What the agents routes use: the registry, the API-key store and the ledger (no CA, no KMS, no stream). */
export type AgentsContext = Pick<AppContext, 'agents' | 'apiKeys' | 'ledger' | 'clock' | 'random'>;
type AgentsRequest = AuthenticatedRequest<AgentsContext>;

const service = ({ ctx }: AgentsRequest) => new AgentService(ctx);

/** The Lambda handler is wired in functions/lambda/agents.ts; local mode and tests pass their own provider. */
export const createAgentsHandler = (contextProvider: Provider<AgentsContext>) =>
  createApiHandler<AgentsContext>({
    name: 'agents',
    routes: routes.filter((route) => route.group === 'agents'),
    contextProvider,
    implementations: {
      'POST /v1/api-keys': async (request: AgentsRequest) => {
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
      'POST /v1/agents': async (request: AgentsRequest) => {
        const body = parseBody(request.event, createAgentSchema);
        const { principal } = request;
        const agent = await service(request).create(principal, body);
        return json(201, agentView(agent));
      },
      'GET /v1/agents': async (request: AgentsRequest) => {
        const query = parseQuery(request.event, listQuerySchema);
        const page = await service(request).list(request.principal, query.limit, query.cursor);
        return json(200, {
          items: page.items.map(agentView),
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        });
      },
      'GET /v1/agents/{id}': async (request: AgentsRequest) =>
        json(200, agentView(await service(request).get(request.principal, pathAgentId(request.params)))),
      'PATCH /v1/agents/{id}': async (request: AgentsRequest) => {
        const id = pathAgentId(request.params);
        const patch = parseBody(request.event, patchAgentSchema);
        const updated = await service(request).update(request.principal, id, patch);
        return json(200, agentView(updated));
      },
    },
  });
