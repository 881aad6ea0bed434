/**
 * Writes answers on the local server's own account (errors it raises before or instead of a handler): always the
 * contract's error body, never a stack trace or an internal message.
 */
import type { ServerResponse } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { ERROR_STATUS, type ErrorCode, KakuninError } from '../core/errors.js';

export function contractError(code: ErrorCode, message: string, field?: string): APIGatewayProxyResult {
  const error = field === undefined ? { code, message } : { code, message, field };
  return {
    statusCode: ERROR_STATUS[code],
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error }),
  };
}

/** A KakuninError keeps its contract code; anything else is a dependency failure as far as the caller knows. */
export function errorResult(error: unknown): APIGatewayProxyResult {
  if (error instanceof KakuninError) return contractError(error.code, error.message, error.field);
  return contractError('UNAVAILABLE', 'service unavailable');
}

/** Writes a handler's result to the socket; a malformed result (no valid status) becomes 503, fail closed. */
export function writeResult(response: ServerResponse, result: APIGatewayProxyResult, requestId: string): void {
  const usable = Number.isInteger(result.statusCode) && result.statusCode >= 100 && result.statusCode <= 599;
  const safe = usable ? result : contractError('UNAVAILABLE', 'service unavailable');
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(safe.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(safe.multiValueHeaders ?? {})) {
    headers[name.toLowerCase()] = values.map(String);
  }
  headers['x-request-id'] = requestId;
  const body = safe.isBase64Encoded ? Buffer.from(safe.body, 'base64') : Buffer.from(safe.body ?? '', 'utf8');
  headers['content-length'] = String(body.length);
  response.writeHead(safe.statusCode, headers);
  response.end(body);
}
