import { type ParsedEnvelope, parseSignedEnvelope } from './schema.js';
import { parseJsonStrict } from './strict-json.js';

/**
 * An envelope from raw JSON text (a request body), with every refusal of the service's edge: invalid JSON, duplicate
 * keys, inexact numbers, then the envelope schema. For middleware that sees the body before anyone parsed it.
 * @throws KakuninError INVALID_REQUEST (400) with `field`
 */
export function parseEnvelopeJson(text: string): ParsedEnvelope {
  return parseSignedEnvelope(parseJsonStrict(text));
}
