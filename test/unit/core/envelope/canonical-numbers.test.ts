/**
 * The signed bytes of number and string edge cases (RFC 8785 §3.2.2.3 numbers, §3.2.2.2 strings): what a signer in
 * another language must produce, and proof that spellings which parse to the same value sign the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { parseSignedEnvelope, signedBytes } from '../../../../src/core/envelope/schema.js';

const FINGERPRINT = `sha256:${'a'.repeat(64)}`;
const NONCE = 'n'.repeat(16);

function bytesOf(payloadJson: string): string {
  const text = `{"payload":${payloadJson},"certificateFingerprint":"${FINGERPRINT}","timestamp":1764190000000,"nonce":"${NONCE}","signature":"AAAA"}`;
  return Buffer.from(signedBytes(parseSignedEnvelope(JSON.parse(text)).envelope)).toString('utf8');
}

const expected = (payload: string) =>
  `{"certificateFingerprint":"${FINGERPRINT}","nonce":"${NONCE}","payload":${payload},"timestamp":1764190000000}`;

describe('canonical signed bytes', () => {
  it.each([
    ['{"action":"a","amount":-0}', '{"action":"a","amount":0}'],
    ['{"action":"a","n":1e21}', '{"action":"a","n":1e+21}'],
    ['{"action":"a","n":1E21}', '{"action":"a","n":1e+21}'],
    ['{"action":"a","n":100000000000000000000}', '{"action":"a","n":100000000000000000000}'],
    ['{"action":"a","amount":1e-7}', '{"action":"a","amount":1e-7}'],
    ['{"action":"a","amount":9900.50}', '{"action":"a","amount":9900.5}'],
    ['{"z":1,"action":"a","\\u00e9":2,"\\ud83d\\ude00":3,"\\uffff":4}', '{"action":"a","z":1,"é":2,"😀":3,"\uffff":4}'],
    ['{"action":"\\u0061\\u00e9\\ud83d\\ude00"}', '{"action":"aé😀"}'],
  ])('%s signs as %s', (input, payload) => {
    expect(bytesOf(input)).toBe(expected(payload));
  });
});
