/**
 * Behavioural monitoring and webhooks (docs/api.md §5, §6): an agent's stats, risk and locked baseline; webhook
 * subscriptions and the replay of their dead letters. Admin only (the route table's role gate), tenant-scoped.
 */

import { checkWebhookDestination } from '../src/adapters/webhooks/http-transport.js';
import { randomId } from '../src/app/agents.js';
import type { AppContext, Provider } from '../src/app/context.js';
import { assertAuthorized } from '../src/core/authorization/authorize.js';
import { invalidRequest, notFound } from '../src/core/errors.js';
import type { AgentRecord, BaselineLock, EventType, WebhookSubscription } from '../src/core/model.js';
import { riskBand } from '../src/core/model.js';
import { toLockedBaseline } from '../src/core/monitoring/action-consumer.js';
import { auditedUrl } from '../src/core/webhooks/audited-url.js';
import { type AuthenticatedRequest, createApiHandler } from '../src/http/api-handler.js';
import {
  baselineSchema,
  createWebhookSchema,
  lockedFigures,
  MAX_WEBHOOKS_PER_TENANT,
  statsQuerySchema,
  WEBHOOK_ID_PATTERN,
} from '../src/http/monitoring-schemas.js';
import { pathAgentId } from '../src/http/path-params.js';
import { parseBody, parseQuery } from '../src/http/request.js';
import { json, rfc3339 } from '../src/http/responses.js';
import { routes } from './routes.js';

export type MonitoringContext = Pick<
  AppContext,
  'agents' | 'behavior' | 'webhooks' | 'ledger' | 'clock' | 'random' | 'monitoring'
>;
type MonitoringRequest = AuthenticatedRequest<MonitoringContext>;

/** The agent named by the path, once the policy allows `action` on it (another tenant's id: 404). */
async function agentOf(request: MonitoringRequest, action: 'monitoring:read' | 'baseline:lock'): Promise<AgentRecord> {
  const { principal, ctx } = request;
  assertAuthorized(principal, action, { tenantId: principal.tenantId });
  const agent = await ctx.agents.get(principal.tenantId, pathAgentId(request.params));
  if (agent === undefined) throw notFound('agent');
  return agent;
}

async function webhookOf(request: MonitoringRequest): Promise<WebhookSubscription> {
  assertAuthorized(request.principal, 'webhook:manage', { tenantId: request.principal.tenantId });
  const id = request.params.id;
  if (id === undefined || !WEBHOOK_ID_PATTERN.test(id)) throw notFound('webhook');
  const found = await request.ctx.webhooks.get(request.principal.tenantId, id);
  if (found === undefined) throw notFound('webhook');
  return found;
}

const webhookView = (w: WebhookSubscription) => ({
  id: w.id,
  url: w.url,
  eventTypes: w.eventTypes,
  createdAt: rfc3339(w.createdAt),
});

/** `whsec_` + base64 of 32 random bytes (docs/api.md §2). */
function newSecret(random: MonitoringContext['random']): string {
  return `whsec_${Buffer.from(random.bytes(32)).toString('base64')}`;
}

export const createMonitoringHandler = (contextProvider: Provider<MonitoringContext>) =>
  createApiHandler<MonitoringContext>({
    name: 'monitoring',
    routes: routes.filter((route) => route.group === 'monitoring'),
    contextProvider,
    implementations: {
      'GET /v1/agents/{id}/stats': async (request: MonitoringRequest) => {
        const agent = await agentOf(request, 'monitoring:read');
        const { window } = parseQuery(request.event, statsQuerySchema);
        const { engine } = request.ctx.monitoring;
        const now = request.ctx.clock.now();
        const record = await request.ctx.behavior.load(agent.tenantId, agent.id);
        const state = record.state === undefined ? engine.create(agent.id, now) : engine.decode(record.state);
        return json(200, engine.stats(state, window, now));
      },
      'GET /v1/agents/{id}/risk': async (request: MonitoringRequest) => {
        const agent = await agentOf(request, 'monitoring:read');
        const { risk } = await request.ctx.behavior.load(agent.tenantId, agent.id);
        // No action applied yet: a new agent's score is 0 (as the verifier reports it), as of its creation.
        const score = risk?.score ?? 0;
        return json(200, {
          score,
          band: risk?.band ?? riskBand(score),
          contributions: risk?.contributions ?? [],
          updatedAt: rfc3339(risk?.updatedAt ?? agent.createdAt),
        });
      },
      'PUT /v1/agents/{id}/baseline': async (request: MonitoringRequest) => {
        const agent = await agentOf(request, 'baseline:lock');
        const lock: BaselineLock = {
          ...lockedFigures(parseBody(request.event, baselineSchema)),
          lockedAt: request.ctx.clock.now(),
          lockedBy: request.principal.keyId,
        };
        // Audit first: a ledger failure answers 503 and locks nothing.
        await request.ctx.ledger.append({
          tenantId: agent.tenantId,
          actorId: agent.id,
          type: 'baseline.locked',
          payload: { baseline: toLockedBaseline(lock), by: request.principal.keyId },
        });
        await request.ctx.behavior.putBaseline(agent.tenantId, agent.id, lock);
        return json(200, { ...toLockedBaseline(lock), locked: true, lockedAt: rfc3339(lock.lockedAt) });
      },
      'POST /v1/webhooks': async (request: MonitoringRequest) => {
        assertAuthorized(request.principal, 'webhook:manage', { tenantId: request.principal.tenantId });
        const body = parseBody(request.event, createWebhookSchema);
        const url = await checkWebhookDestination(body.url, request.ctx.monitoring.urlPolicy);
        const { tenantId, keyId } = request.principal;
        // A soft bound (two concurrent creations at the bound may both pass): enough to stop a fan-out amplifier.
        if ((await request.ctx.webhooks.list(tenantId)).length >= MAX_WEBHOOKS_PER_TENANT) {
          throw invalidRequest(`a tenant has at most ${MAX_WEBHOOKS_PER_TENANT} webhooks: delete one first`);
        }
        const subscription: WebhookSubscription = {
          tenantId,
          id: randomId(request.ctx.random, 'wh_'),
          url: url.href,
          eventTypes: (body.eventTypes ?? []) as EventType[],
          secret: newSecret(request.ctx.random),
          createdAt: request.ctx.clock.now(),
        };
        // The audit entry names the webhook, never its secret, nor the URL's path or query (often a credential: the
        // ledger can never forget it); a hash of the full URL lets its holder prove which one it was.
        await request.ctx.ledger.append({
          tenantId,
          actorId: keyId,
          type: 'webhook.created',
          payload: {
            webhookId: subscription.id,
            ...auditedUrl(subscription.url),
            eventTypes: subscription.eventTypes,
            by: keyId,
          },
        });
        await request.ctx.webhooks.create(subscription);
        const { id, eventTypes, secret } = subscription;
        return json(201, { id, url: subscription.url, eventTypes, secret });
      },
      'GET /v1/webhooks': async (request: MonitoringRequest) => {
        assertAuthorized(request.principal, 'webhook:manage', { tenantId: request.principal.tenantId });
        const items = await request.ctx.webhooks.list(request.principal.tenantId);
        return json(200, { items: items.map(webhookView) });
      },
      'DELETE /v1/webhooks/{id}': async (request: MonitoringRequest) => {
        const webhook = await webhookOf(request);
        const { tenantId, keyId } = request.principal;
        await request.ctx.ledger.append({
          tenantId,
          actorId: keyId,
          type: 'webhook.deleted',
          payload: { webhookId: webhook.id, by: keyId },
        });
        await request.ctx.webhooks.delete(tenantId, webhook.id);
        return json(200, { id: webhook.id, deleted: true });
      },
      'POST /v1/webhooks/{id}/replay': async (request: MonitoringRequest) => {
        const webhook = await webhookOf(request);
        const { tenantId, keyId } = request.principal;
        const result = await request.ctx.monitoring.dispatcher.replay(tenantId, webhook.id);
        await request.ctx.ledger.append({
          tenantId,
          actorId: keyId,
          type: 'webhook.replayed',
          payload: { webhookId: webhook.id, ...result, by: keyId },
        });
        const remaining = (await request.ctx.webhooks.listDeadLetters(tenantId, webhook.id)).length;
        return json(200, { ...result, remaining });
      },
    },
  });
