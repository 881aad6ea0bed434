import { describe, expect, it } from 'vitest';
import { decodeStrictBase64 } from '../../../../src/core/envelope/base64.js';
import { parseEnvelope, parseSignedEnvelope, signedBytes } from '../../../../src/core/envelope/schema.js';
import { KakuninError } from '../../../../src/core/errors.js';

const FP = `sha256:${'ab'.repeat(32)}`;
const VALID = {
  payload: {
    action: 'charge',
    amount: 9900,
    currency: 'EUR',
    counterparty: 'stripe',
    region: 'eu-west-1',
    note: { x: [1] },
  },
  certificateFingerprint: FP,
  timestamp: 1764190000000,
  nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
  signature: 'MEUCIQDx',
};

function errorOf(input: unknown): KakuninError {
  try {
    parseEnvelope(input);
  } catch (error) {
    if (error instanceof KakuninError) return error;
    throw error;
  }
  throw new Error('parsed');
}

const deep = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) value = [value];
  return value;
};

// [name, input, expected field (undefined = no field)]
const MALFORMED: [string, unknown, string | undefined][] = [
  ['not an object', 'hello', undefined],
  ['null', null, undefined],
  ['an array', [VALID], undefined],
  ['unknown top-level field', { ...VALID, extra: 1 }, 'extra'],
  ['payload missing', { ...VALID, payload: undefined }, 'payload'],
  ['payload an array', { ...VALID, payload: ['charge'] }, 'payload'],
  ['payload.action missing', { ...VALID, payload: { amount: 1 } }, 'payload.action'],
  ['payload.action a number', { ...VALID, payload: { action: 7 } }, 'payload.action'],
  ['payload.amount a string', { ...VALID, payload: { action: 'a', amount: '10' } }, 'payload.amount'],
  ['payload.amount null', { ...VALID, payload: { action: 'a', amount: null } }, 'payload.amount'],
  [
    'payload.amount Infinity',
    { ...VALID, payload: { action: 'a', amount: Number.POSITIVE_INFINITY } },
    'payload.amount',
  ],
  ['payload.amount NaN', { ...VALID, payload: { action: 'a', amount: Number.NaN } }, 'payload.amount'],
  ['payload.currency a number', { ...VALID, payload: { action: 'a', currency: 978 } }, 'payload.currency'],
  ['payload.counterparty an object', { ...VALID, payload: { action: 'a', counterparty: {} } }, 'payload.counterparty'],
  ['payload.region an array', { ...VALID, payload: { action: 'a', region: ['eu'] } }, 'payload.region'],
  [
    'nested NaN in a free field',
    { ...VALID, payload: { action: 'a', meta: { v: [0, Number.NaN] } } },
    'payload.meta.v[1]',
  ],
  ['lone surrogate in a string', { ...VALID, payload: { action: 'a', memo: '\ud800' } }, 'payload.memo'],
  ['__proto__ key', { ...VALID, payload: JSON.parse('{"action":"a","__proto__":{"amount":1}}') }, 'payload.__proto__'],
  [
    'payload nested too deep',
    { ...VALID, payload: { action: 'a', deep: deep(40) } },
    `payload.deep${'[0]'.repeat(31)}`,
  ],
  ['a Date in the payload', { ...VALID, payload: { action: 'a', when: new Date(0) } }, 'payload.when'],
  ['a bigint in the payload', { ...VALID, payload: { action: 'a', n: 1n } }, 'payload.n'],
  ['a function in the payload', { ...VALID, payload: { action: 'a', f: () => 1 } }, 'payload.f'],
  ['fingerprint uppercase', { ...VALID, certificateFingerprint: FP.toUpperCase() }, 'certificateFingerprint'],
  ['fingerprint short', { ...VALID, certificateFingerprint: 'sha256:abcd' }, 'certificateFingerprint'],
  ['fingerprint missing', { ...VALID, certificateFingerprint: undefined }, 'certificateFingerprint'],
  ['timestamp a string', { ...VALID, timestamp: '1764190000000' }, 'timestamp'],
  ['timestamp fractional', { ...VALID, timestamp: 1.5 }, 'timestamp'],
  ['timestamp negative', { ...VALID, timestamp: -1 }, 'timestamp'],
  ['timestamp unsafe integer', { ...VALID, timestamp: 2 ** 60 }, 'timestamp'],
  ['nonce too short', { ...VALID, nonce: 'abc' }, 'nonce'],
  ['nonce too long', { ...VALID, nonce: 'a'.repeat(129) }, 'nonce'],
  ['nonce with a dot', { ...VALID, nonce: 'AAAAAAAAAAAAAAAA.' }, 'nonce'],
  ['signature missing', { ...VALID, signature: undefined }, 'signature'],
  ['signature empty', { ...VALID, signature: '' }, 'signature'],
  ['signature with whitespace', { ...VALID, signature: 'MEUC IQDx' }, 'signature'],
  ['signature with a newline', { ...VALID, signature: 'MEUC\nIQDx' }, 'signature'],
  ['signature base64url alphabet', { ...VALID, signature: 'MEUC-_Dx' }, 'signature'],
  ['signature without padding', { ...VALID, signature: 'MEUCIQ' }, 'signature'],
  ['signature with non-zero padding bits', { ...VALID, signature: 'MEUCIR==' }, 'signature'],
  ['signature far too long', { ...VALID, signature: 'A'.repeat(2048) }, 'signature'],
];

describe('parseEnvelope: malformed input → INVALID_REQUEST with the JSON path', () => {
  it.each(MALFORMED)('%s', (_name, input, field) => {
    const error = errorOf(input);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.status).toBe(400);
    expect(error.field).toBe(field);
  });
});

describe('parseEnvelope: valid input', () => {
  it('keeps free payload fields and decodes the signature', () => {
    const { envelope, signatureBytes } = parseSignedEnvelope(VALID);
    expect(envelope).toEqual(VALID);
    expect(Buffer.from(signatureBytes).toString('base64')).toBe(VALID.signature);
  });

  it('returns a copy: mutating the input afterwards does not change the parsed payload', () => {
    const input = structuredClone(VALID);
    const envelope = parseEnvelope(input);
    input.payload.amount = 1;
    input.payload.note.x.push(2);
    expect(envelope.payload).toEqual(VALID.payload);
  });

  it('drops undefined payload fields, as the canonical form does', () => {
    const envelope = parseEnvelope({ ...VALID, payload: { action: 'a', maybe: undefined } });
    expect(Object.keys(envelope.payload)).toEqual(['action']);
  });
});

describe('signedBytes', () => {
  it('is the JCS of the envelope without signature (keys sorted, no whitespace)', () => {
    const bytes = signedBytes({
      nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
      timestamp: 1,
      certificateFingerprint: FP,
      payload: { currency: 'EUR', action: 'charge', amount: 1e21 },
    });
    expect(new TextDecoder().decode(bytes)).toBe(
      `{"certificateFingerprint":"${FP}","nonce":"AAAAAAAAAAAAAAAAAAAAAA","payload":{"action":"charge","amount":1e+21,"currency":"EUR"},"timestamp":1}`,
    );
  });

  it('ignores a signature field if a signed envelope is passed in', () => {
    const { signature: _s, ...unsigned } = VALID;
    expect(signedBytes(VALID)).toEqual(signedBytes(unsigned));
  });

  it('turns an uncanonicalisable value into INVALID_REQUEST, never a plain Error', () => {
    const bad = { ...VALID, payload: { action: 'a', amount: Number.NaN } };
    expect(() => signedBytes(bad)).toThrow(KakuninError);
  });
});

describe('decodeStrictBase64', () => {
  it.each(['', '=', 'A', 'AA', 'AA=', 'AAA', 'A===', 'AB==', 'AAB=', ' AAAA', 'AAAA ', 'AA\tAA', 'AA-_'])(
    'refuses %j',
    (text) => expect(decodeStrictBase64(text)).toBeUndefined(),
  );
  it.each([
    ['AA==', [0]],
    ['AAE=', [0, 1]],
    ['/+8=', [255, 239]],
    ['AAAA', [0, 0, 0]],
  ])('decodes %s', (text, bytes) => expect([...(decodeStrictBase64(text) ?? [])]).toEqual(bytes));
});
