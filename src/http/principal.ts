/**
 * The authenticated caller. The Lambda authorizer (functions/authorizer.ts) or local mode puts it into
 * `requestContext.authorizer` as flat strings; handlers read it back here and fail closed on anything malformed.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface Principal {
  tenantId: string;
  role: 'admin' | 'verifier' | 'agent';
  /** Set for (and only for) the `agent` role. */
  agentId?: string;
  /** Id of the API key record (never the key). */
  keyId: string;
}

const ROLES: readonly string[] = ['admin', 'verifier', 'agent'] satisfies Principal['role'][];

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * The principal of an authenticated request, or undefined when there is none (or it is inconsistent). Checked by
 * hand rather than with zod so the authorizer's bundle carries no zod (this module is shared with it).
 */
export function principalFromEvent(event: APIGatewayProxyEvent): Principal | undefined {
  const context: unknown = event.requestContext?.authorizer ?? undefined;
  if (typeof context !== 'object' || context === null) return undefined;
  const { tenantId, role, agentId, keyId } = context as Record<string, unknown>;
  if (!nonEmpty(tenantId) || !nonEmpty(keyId) || typeof role !== 'string' || !ROLES.includes(role)) return undefined;
  if (agentId !== undefined && !nonEmpty(agentId)) return undefined;
  const checkedRole = role as Principal['role'];
  if ((checkedRole === 'agent') !== (agentId !== undefined)) return undefined;
  return agentId === undefined
    ? { tenantId, role: checkedRole, keyId }
    : { tenantId, role: checkedRole, agentId, keyId };
}

/** Flat string context as a Lambda authorizer returns it (and local mode injects it). */
export function authorizerContextOf(principal: Principal): Record<string, string> {
  return {
    tenantId: principal.tenantId,
    role: principal.role,
    keyId: principal.keyId,
    ...(principal.agentId === undefined ? {} : { agentId: principal.agentId }),
  };
}
