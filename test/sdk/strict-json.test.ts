/**
 * The lossy-number refusal of contract §4 and the duplicate-key refusal, through parseEnvelopeJson (what gateway
 * middleware uses on a raw body): exact literals pass, rounded ones are 400 INVALID_REQUEST with the JSON path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isExactJsonNumber, KakuninError, parseEnvelopeJson, parseJsonStrict } from '../../packages/sdk/src/index.js';

describe("isExactJsonNumber (the service's rule: the literal reads back as the shortest form of its double)", () => {
  it.each([
    '0',
    '-0',
    '0.0',
    '9900',
    '9900.0',
    '9.9e3',
    '99.95',
    '0.1',
    '1e2',
    '-12.25',
    '5e-324',
    '1.7976931348623157e308',
  ])('%s is accepted', (text) => expect(isExactJsonNumber(text)).toBe(true));

  it.each([
    '100.00000000000000001',
    '1e-400',
    '1e400',
    '-1e400',
    '9007199254740993',
    '2.5e-324',
    '0.10000000000000001',
  ])('%s is refused', (text) => expect(isExactJsonNumber(text)).toBe(false));

  it('every double in its shortest form passes, and the same digits with one more non-zero digit do not', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), (value) => {
        const text = String(value);
        if (text.includes('e') || value === 0) return isExactJsonNumber(text);
        const longer = text.includes('.') ? `${text}000000000000000000001` : `${text}.000000000000000000001`;
        return isExactJsonNumber(text) && !isExactJsonNumber(longer);
      }),
    );
  });
});

describe('parseEnvelopeJson', () => {
  const envelope = (amount: string) =>
    `{"payload":{"action":"charge","amount":${amount},"currency":"EUR"},"certificateFingerprint":"sha256:${'a'.repeat(64)}","timestamp":1764190000000,"nonce":"${'n'.repeat(22)}","signature":"AAAA"}`;

  it('accepts 9900, 9900.0 and 9.9e3 as the same number', () => {
    for (const amount of ['9900', '9900.0', '9.9e3'])
      expect(parseEnvelopeJson(envelope(amount)).envelope.payload.amount).toBe(9900);
  });

  it('refuses a rounded amount with field payload.amount', () => {
    for (const amount of ['100.00000000000000001', '1e-400', '1e400']) {
      const error = (() => {
        try {
          parseEnvelopeJson(envelope(amount));
        } catch (e) {
          return e as KakuninError;
        }
        throw new Error('accepted');
      })();
      expect(error).toBeInstanceOf(KakuninError);
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', status: 400, field: 'payload.amount' });
    }
  });

  it('refuses duplicate keys anywhere, with the path of the repeated key', () => {
    expect(() => parseJsonStrict('{"payload":{"amount":1000000,"amount":1}}')).toThrow(
      expect.objectContaining({ field: 'payload.amount' }),
    );
    expect(() => parseJsonStrict('{"a":1,"\\u0061":2}')).toThrow(expect.objectContaining({ field: 'a' }));
    expect(() => parseJsonStrict('{"a":')).toThrow(KakuninError);
  });
});
