/**
 * Translates a node:http request into the API Gateway REST proxy event the Lambda handlers receive when deployed,
 * so local mode runs exactly the same handler code. Only the fields a REST proxy integration fills are set; the
 * principal goes where a Lambda authorizer's context lands (`requestContext.authorizer`, values as strings).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { authorizerContextOf, type Principal } from '../http/principal.js';
import type { RouteMatch } from './route-match.js';

export interface IncomingRequestParts {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string | null;
  sourceIp: string;
  requestId: string;
  receivedAt: number;
}

export function toApiGatewayEvent(
  request: IncomingRequestParts,
  match: RouteMatch,
  principal: Principal | undefined,
): APIGatewayProxyEvent {
  const { headers, multiValueHeaders } = translateHeaders(request.headers);
  const { single, multi } = translateQuery(request.query);
  return {
    body: request.body,
    headers,
    multiValueHeaders,
    httpMethod: request.method,
    isBase64Encoded: false,
    path: request.path,
    pathParameters: match.pathParameters,
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
    stageVariables: null,
    resource: match.route.path,
    requestContext: {
      accountId: 'local',
      apiId: 'kakunin-local',
      authorizer: principal === undefined ? null : authorizerContext(principal),
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: localIdentity(request),
      path: request.path,
      stage: 'local',
      requestId: request.requestId,
      requestTimeEpoch: request.receivedAt,
      resourceId: match.route.group,
      resourcePath: match.route.path,
    },
  };
}

/** What API Gateway puts there after a Lambda authorizer: its context (flat strings) plus the `principalId`. */
function authorizerContext(principal: Principal): Record<string, string> {
  return { principalId: principal.keyId, ...authorizerContextOf(principal) };
}

function translateHeaders(incoming: IncomingHttpHeaders): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    multiValueHeaders[name] = values;
    headers[name] = values.at(-1) ?? '';
  }
  return { headers, multiValueHeaders };
}

/** API Gateway passes null, not an empty object, when there is no query string; the last repeated value wins. */
function translateQuery(query: URLSearchParams): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of query) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return Object.keys(single).length === 0 ? { single: null, multi: null } : { single, multi };
}

function localIdentity(request: IncomingRequestParts): APIGatewayProxyEvent['requestContext']['identity'] {
  const userAgent = request.headers['user-agent'];
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: request.sourceIp,
    user: null,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
    userArn: null,
  };
}
