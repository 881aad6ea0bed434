/**
 * Reads a request body with a hard cap (docs/api.md §1: bodies over 64 KiB get 413). The declared Content-Length is
 * checked before a byte is read, and a chunked body is cut off the moment it crosses the cap, so an oversized upload
 * never sits in memory.
 */
import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 64 * 1024;

export type BodyResult = { kind: 'ok'; body: string | null } | { kind: 'too-large' } | { kind: 'aborted' };

export function readBody(request: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.pause();
        settle({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => settle({ kind: 'ok', body: size === 0 ? null : Buffer.concat(chunks).toString('utf8') }));
    request.on('error', () => settle({ kind: 'aborted' }));
    request.on('close', () => settle({ kind: 'aborted' }));
  });
}
