/**
 * API Gateway Lambda REQUEST authorizer: `Authorization: Bearer <key>` → SHA-256 → stored key record → an Allow policy
 * whose context carries the principal. Anything else throws 'Unauthorized', which API Gateway answers with 401 (the
 * API's UNAUTHORIZED gateway response carries the contract body). The policy allows the whole API so a cached answer
 * is valid for every route; each handler enforces roles itself.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { findApiKey } from '../src/app/api-keys.js';
import type { AppContext, Provider } from '../src/app/context.js';
import { DependencyError, KakuninError } from '../src/core/errors.js';
import { describeError } from '../src/http/error-response.js';
import { logger } from '../src/http/logger.js';
import { authorizerContextOf, type Principal } from '../src/http/principal.js';

const BEARER = /^Bearer +([^\s]+) *$/i;

/** The principal of an `Authorization` header value; UNAUTHENTICATED when missing, malformed or unknown. */
export async function authenticate(ctx: Pick<AppContext, 'apiKeys'>, header: string | undefined): Promise<Principal> {
  const key = header === undefined ? undefined : BEARER.exec(header)?.[1];
  const record = key === undefined ? undefined : await findApiKey(ctx.apiKeys, key);
  if (!record) throw new KakuninError('UNAUTHENTICATED', 'a valid API key is required');
  if ((record.role === 'agent') !== (record.agentId !== undefined)) {
    throw new KakuninError('UNAUTHENTICATED', 'a valid API key is required');
  }
  return {
    tenantId: record.tenantId,
    role: record.role,
    keyId: record.id,
    ...(record.agentId === undefined ? {} : { agentId: record.agentId }),
  };
}

function headerValue(headers: Record<string, string | undefined> | null | undefined, name: string) {
  if (!headers) return undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

/** `arn:…:apiId/stage/*` — the whole stage, so one cached decision serves every route. */
function stageWildcard(methodArn: string): string {
  // arn:aws:execute-api:region:account:apiId / stage / METHOD / resource path…
  const [apiArn, stage] = methodArn.split('/');
  return apiArn === undefined || stage === undefined ? methodArn : `${apiArn}/${stage}/*`;
}

/** What the authorizer uses: the API-key store, nothing else. */
export type AuthorizerContext = Pick<AppContext, 'apiKeys'>;

/** The Lambda handler is wired in functions/lambda/authorizer.ts. */
export const createAuthorizer =
  (contextProvider: Provider<AuthorizerContext>) =>
  async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    let principal: Principal;
    try {
      principal = await authenticate(await contextProvider(), headerValue(event.headers, 'authorization'));
    } catch (error) {
      if (error instanceof KakuninError && !(error instanceof DependencyError) && error.code === 'UNAUTHENTICATED') {
        throw new Error('Unauthorized');
      }
      // A store outage must not look like a bad key to the caller's retry logic, but it must still deny.
      logger.error('authorizer failed', { error: describeError(error) });
      throw error;
    }
    return {
      principalId: principal.keyId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcard(event.methodArn) }],
      },
      context: authorizerContextOf(principal),
    };
  };
