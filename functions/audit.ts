/**
 * The audit routes (docs/api.md §7): listing, JSON Lines export, the full verification against the signed
 * checkpoints, the latest checkpoint and its verifier key, inclusion and consistency proofs. Everything is read-only:
 * no route, role or code path updates or deletes an entry.
 */

import { exportAudit } from '../src/app/audit-export.js';
import type { AppContext, Provider } from '../src/app/context.js';
import { type AuthenticatedRequest, createApiHandler } from '../src/http/api-handler.js';
import {
  auditExportQuerySchema,
  auditListQuerySchema,
  consistencyQuerySchema,
  proofQuerySchema,
} from '../src/http/audit-schemas.js';
import { parseQuery } from '../src/http/request.js';
import { json, text } from '../src/http/responses.js';
import { routes } from './routes.js';

/** What the audit routes use: the ledger and the transparency-log service over it. */
export type AuditContext = Pick<AppContext, 'ledger' | 'auditLog'>;
type AuditRequest = AuthenticatedRequest<AuditContext>;

export const createAuditHandler = (contextProvider: Provider<AuditContext>) =>
  createApiHandler<AuditContext>({
    name: 'audit',
    routes: routes.filter((route) => route.group === 'audit'),
    contextProvider,
    implementations: {
      'GET /v1/audit': async ({ event, ctx, principal }: AuditRequest) => {
        const query = parseQuery(event, auditListQuerySchema);
        const page = await ctx.ledger.list(principal.tenantId, query);
        return json(200, page.nextCursor === undefined ? { items: page.items } : page);
      },
      'GET /v1/audit/export': async ({ event, ctx, principal }: AuditRequest) => {
        const query = parseQuery(event, auditExportQuerySchema);
        const exported = await exportAudit(ctx.ledger, principal.tenantId, query);
        const response = text(200, 'application/x-ndjson; charset=utf-8', exported.body);
        if (exported.truncatedAfterSeq !== undefined) {
          response.headers = {
            ...response.headers,
            'kakunin-export-truncated-after-seq': String(exported.truncatedAfterSeq),
          };
        }
        return response;
      },
      'GET /v1/audit/verify': async ({ ctx, principal }: AuditRequest) =>
        json(200, await ctx.auditLog.verify(principal.tenantId)),
      'GET /v1/audit/checkpoint': async ({ ctx, principal }: AuditRequest) =>
        text(200, 'text/plain; charset=utf-8', (await ctx.auditLog.currentCheckpoint(principal.tenantId)).note),
      'GET /v1/audit/checkpoint/key': async ({ ctx, principal }: AuditRequest) =>
        text(200, 'text/plain; charset=utf-8', `${await ctx.auditLog.verifierKey(principal.tenantId)}\n`),
      'GET /v1/audit/{id}/proof': async ({ event, ctx, principal, params }: AuditRequest) => {
        const { treeSize } = parseQuery(event, proofQuerySchema);
        return json(200, await ctx.auditLog.inclusionProof(principal.tenantId, params.id ?? '', treeSize));
      },
      'GET /v1/audit/consistency': async ({ event, ctx, principal }: AuditRequest) => {
        const { from, to } = parseQuery(event, consistencyQuerySchema);
        const consistencyProof = await ctx.auditLog.consistencyProof(principal.tenantId, from, to);
        return json(200, { from, to, consistencyProof });
      },
    },
  });
