/**
 * Takes the envelope from an incoming request: the `Kakunin-Envelope` header (base64url or base64 of the JSON, or the
 * JSON itself) when present, else the body (already parsed, a string or bytes). The header wins when both are sent,
 * so a body can stay the business request while the envelope rides alongside.
 */
import { KakuninError } from '../errors.js';

/** Contract §1: request bodies over 64 KiB get 413; an envelope is held to the same bound wherever it travels. */
export const MAX_ENVELOPE_BYTES = 64 * 1024;
export const DEFAULT_ENVELOPE_HEADER = 'kakunin-envelope';
export const DEFAULT_CERTIFICATE_HEADER = 'kakunin-certificate';

const invalid = (message: string): KakuninError =>
  new KakuninError('INVALID_REQUEST', message, { status: 400, field: 'envelope' });

function parseJsonText(text: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_ENVELOPE_BYTES) {
    throw new KakuninError('PAYLOAD_TOO_LARGE', 'the envelope is larger than 64 KiB', { status: 413 });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('the envelope is not valid JSON');
  }
}

function decodeHeader(value: string): unknown {
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) return parseJsonText(trimmed);
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw invalid('the envelope header is neither JSON nor base64');
  return parseJsonText(
    Buffer.from(trimmed, trimmed.includes('+') || trimmed.includes('/') ? 'base64' : 'base64url').toString('utf8'),
  );
}

/**
 * @returns the envelope as a JSON object (its fields are the verifier's to check)
 * @throws KakuninError INVALID_REQUEST (field `envelope`) or PAYLOAD_TOO_LARGE
 */
export function extractEnvelope(body: unknown, header: string | string[] | undefined): Record<string, unknown> {
  const headerValue = Array.isArray(header) ? header[0] : header;
  let value: unknown;
  if (headerValue !== undefined && headerValue !== '') value = decodeHeader(headerValue);
  else if (typeof body === 'string') value = parseJsonText(body);
  else if (body instanceof Uint8Array) value = parseJsonText(Buffer.from(body).toString('utf8'));
  else value = body;
  if (value === undefined || value === null) {
    throw invalid('no envelope: send it as the JSON body or in the Kakunin-Envelope header');
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('the envelope must be a JSON object');
  return value as Record<string, unknown>;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/;

/**
 * The agent certificate a request carries for an offline verifier: PEM (headers cannot hold its newlines, so usually
 * base64 of the PEM) or base64 of the DER. Anything else is ignored: the verifier then answers CERTIFICATE_UNKNOWN
 * unless it knows the certificate. Whatever arrives is only a candidate; the verifier admits it only if it chains to
 * the pinned root.
 */
export function decodeCertificateHeader(header: string | string[] | undefined): string | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '' || value.length > MAX_ENVELOPE_BYTES) return undefined;
  if (PEM_CERTIFICATE.test(value)) return value;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, value.includes('+') || value.includes('/') ? 'base64' : 'base64url');
  const text = bytes.toString('latin1');
  if (PEM_CERTIFICATE.test(text)) return text;
  const lines = bytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
