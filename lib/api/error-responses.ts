/**
 * API Gateway answers some requests itself (authorizer denial, validation failure, unknown route, throttling,
 * integration failure). These gateway responses give those answers the contract's error body (§1) instead of
 * API Gateway's `{"message": …}`, so a client sees one error shape whoever answered.
 */
import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';

interface ErrorResponse {
  type: ResponseType;
  status: string;
  code: string;
  message: string;
}

const ERROR_RESPONSES: ErrorResponse[] = [
  { type: ResponseType.UNAUTHORIZED, status: '401', code: 'UNAUTHENTICATED', message: 'missing or unknown API key' },
  { type: ResponseType.ACCESS_DENIED, status: '403', code: 'FORBIDDEN', message: 'the API key may not do this' },
  { type: ResponseType.BAD_REQUEST_BODY, status: '400', code: 'INVALID_REQUEST', message: 'malformed request body' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, status: '400', code: 'INVALID_REQUEST', message: 'bad parameters' },
  // A REST API answers an unknown route with 403 MissingAuthenticationToken; the contract says 404.
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: '404', code: 'NOT_FOUND', message: 'no such route' },
  { type: ResponseType.RESOURCE_NOT_FOUND, status: '404', code: 'NOT_FOUND', message: 'no such route' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: '413', code: 'PAYLOAD_TOO_LARGE', message: 'request too large' },
  { type: ResponseType.THROTTLED, status: '429', code: 'UNAVAILABLE', message: 'rate limit exceeded, retry later' },
  { type: ResponseType.QUOTA_EXCEEDED, status: '429', code: 'UNAVAILABLE', message: 'quota exceeded, retry later' },
  { type: ResponseType.WAF_FILTERED, status: '403', code: 'FORBIDDEN', message: 'request blocked' },
  // Authorizer or integration failures: fail closed, reveal nothing.
  { type: ResponseType.AUTHORIZER_FAILURE, status: '503', code: 'UNAVAILABLE', message: 'authorization unavailable' },
  { type: ResponseType.AUTHORIZER_CONFIGURATION_ERROR, status: '503', code: 'UNAVAILABLE', message: 'unavailable' },
  { type: ResponseType.DEFAULT_5XX, status: '503', code: 'UNAVAILABLE', message: 'service unavailable' },
  { type: ResponseType.DEFAULT_4XX, status: '400', code: 'INVALID_REQUEST', message: 'invalid request' },
];

export function addContractErrorResponses(api: RestApi): void {
  for (const response of ERROR_RESPONSES) {
    api.addGatewayResponse(`Error${response.type.responseType}`, {
      type: response.type,
      statusCode: response.status,
      responseHeaders: { 'Content-Type': "'application/json'" },
      templates: {
        'application/json': JSON.stringify({ error: { code: response.code, message: response.message } }),
      },
    });
  }
}
