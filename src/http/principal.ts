/**
 * The authenticated caller. The Lambda authorizer (functions/authorizer.ts) or local mode puts it into
 * `requestContext.authorizer` as flat strings; handlers read it back here and fail closed on anything malformed.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';

export interface Principal {
  tenantId: string;
  role: 'admin' | 'verifier' | 'agent';
  /** Set for (and only for) the `agent` role. */
  agentId?: string;
  /** Id of the API key record (never the key). */
  keyId: string;
}

const authorizerContext = z.object({
  tenantId: z.string().min(1),
  role: z.enum(['admin', 'verifier', 'agent']),
  agentId: z.string().min(1).optional(),
  keyId: z.string().min(1),
});

/** The principal of an authenticated request, or undefined when there is none (or it is inconsistent). */
export function principalFromEvent(event: APIGatewayProxyEvent): Principal | undefined {
  const parsed = authorizerContext.safeParse(event.requestContext?.authorizer ?? undefined);
  if (!parsed.success) return undefined;
  const { tenantId, role, agentId, keyId } = parsed.data;
  if ((role === 'agent') !== (agentId !== undefined)) return undefined;
  return agentId === undefined ? { tenantId, role, keyId } : { tenantId, role, agentId, keyId };
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
