/**
 * Writes answers on the local server's own account (errors it raises before or instead of a handler): always the
 * contract's error body, never a stack trace or an internal message.
 */
import type { ServerResponse } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { ERROR_STATUS, type ErrorCode } from '../core/errors.js';
import { errorResponse } from '../http/error-response.js';
import { logger } from '../http/logger.js';
import { json } from '../http/responses.js';

/** An answer the server gives on its own account, built like the handlers' answers (same headers, same body shape). */
export function contractError(code: ErrorCode, message: string, field?: string): APIGatewayProxyResult {
  return json(ERROR_STATUS[code], { error: field === undefined ? { code, message } : { code, message, field } });
}

/**
 * Any error the server meets (the key check, a handler that threw) through the handlers' one mapping: a contract
 * error keeps its code; a dependency failure or a bug is 503 with a generic message, details only in the log.
 */
export function errorResult(error: unknown): APIGatewayProxyResult {
  return errorResponse(error, logger);
}

/** Writes a handler's result to the socket; a malformed result (no valid status) becomes 503, fail closed. */
export function writeResult(response: ServerResponse, result: APIGatewayProxyResult, requestId: string): void {
  const usable = Number.isInteger(result.statusCode) && result.statusCode >= 100 && result.statusCode <= 599;
  const safe = usable ? result : errorResult(new Error('handler returned no valid status'));
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
