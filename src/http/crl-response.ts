/**
 * `GET /v1/crl`'s answer: the published CRL with validators, so caches and relying parties can keep it and revalidate
 * for free. `Expires` is the CRL's nextUpdate (no copy is usable after it); `Cache-Control: no-cache` makes a cache
 * revalidate before each use, because a revocation must show at once (docs/api.md §2), and revalidation costs the
 * service a store read, never a signature. `If-None-Match` with the current ETag answers 304 without the body.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { PublishedCrl } from '../ports.js';

const httpDate = (epochMs: number): string => new Date(epochMs).toUTCString();

function header(headers: Record<string, string | undefined> | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

export function crlResponse(
  crl: PublishedCrl,
  requestHeaders: Record<string, string | undefined> | null | undefined,
): APIGatewayProxyResult {
  const etag = `"crl-${crl.crlNumber.toString()}"`;
  const headers = {
    'content-type': 'application/pkix-crl',
    'x-content-type-options': 'nosniff',
    'cache-control': 'public, no-cache',
    etag,
    'last-modified': httpDate(crl.thisUpdate),
    expires: httpDate(crl.nextUpdate),
  };
  const ifNoneMatch = header(requestHeaders, 'if-none-match');
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
    return { statusCode: 304, headers, body: '' };
  }
  return { statusCode: 200, headers, body: Buffer.from(crl.der).toString('base64'), isBase64Encoded: true };
}
