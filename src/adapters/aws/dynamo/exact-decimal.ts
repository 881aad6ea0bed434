/**
 * Exact decimal arithmetic for DynamoDB numbers. DynamoDB adds numbers in decimal (38 digits), JavaScript in binary
 * floating point: a volume threshold computed as `limit - amount` in JS (0.3 - 0.1 = 0.19999999999999998) would
 * refuse a spend that fits exactly. Numbers are taken in their shortest round-trip form and subtracted as BigInts.
 */

interface Decimal {
  digits: bigint;
  /** value = digits × 10^exponent */
  exponent: number;
}

function parse(value: number): Decimal {
  if (!Number.isFinite(value)) throw new RangeError('not a finite number');
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError('unparseable number');
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  return { digits: BigInt(`${sign}${whole}${fraction}`), exponent: Number(exponent) - fraction.length };
}

function format({ digits, exponent }: Decimal): string {
  const negative = digits < 0n;
  const magnitude = (negative ? -digits : digits).toString();
  let text: string;
  if (exponent >= 0) {
    text = magnitude + '0'.repeat(exponent);
  } else {
    const padded = magnitude.padStart(-exponent + 1, '0');
    const whole = padded.slice(0, exponent);
    const fraction = padded.slice(exponent).replace(/0+$/, '');
    text = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  }
  return negative && text !== '0' ? `-${text}` : text;
}

/** `a - b`, exactly, as a plain decimal string (no exponent), e.g. exactDifference(0.3, 0.1) === '0.2'. */
export function exactDifference(a: number, b: number): string {
  const x = parse(a);
  const y = parse(b);
  const exponent = Math.min(x.exponent, y.exponent);
  const scale = (d: Decimal) => d.digits * 10n ** BigInt(d.exponent - exponent);
  return format({ digits: scale(x) - scale(y), exponent });
}

/** A number as a plain decimal string (no exponent), exactly as its shortest round-trip form. */
export function exactDecimal(value: number): string {
  return format(parse(value));
}
