/** Response builders: every answer is JSON with a content type, except the PEM chain and the DER CRL. */
import type { APIGatewayProxyResult } from 'aws-lambda';

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

export function text(statusCode: number, contentType: string, body: string): APIGatewayProxyResult {
  return { statusCode, headers: { ...COMMON_HEADERS, 'content-type': contentType }, body };
}

/** Binary bodies travel base64-encoded through API Gateway (the API must list the media type as binary). */
export function binary(statusCode: number, contentType: string, bytes: Uint8Array): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...COMMON_HEADERS, 'content-type': contentType },
    body: Buffer.from(bytes).toString('base64'),
    isBase64Encoded: true,
  };
}

/** RFC 3339 UTC from epoch milliseconds: the only place times change representation (at the edge). */
export const rfc3339 = (epochMs: number): string => new Date(epochMs).toISOString();
