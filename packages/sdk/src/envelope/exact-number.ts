/**
 * Whether a JSON number literal denotes exactly the number the service works with (docs/api.md §4, "lossy numbers").
 * One definition for the service and the SDK (the server's strict JSON parser is the SDK's, docs/architecture.md).
 *
 * JSON numbers are parsed to IEEE-754 doubles, and the envelope is signed over its RFC 8785 form, which writes each
 * double in its shortest round-trip decimal (ECMAScript Number::toString). A literal such as `100.00000000000000001`
 * parses to the double 100: the signature and the checks see 100 while a downstream system reading the text (a
 * decimal parser, a database) may see more. So a literal is accepted only when its decimal value equals the decimal
 * value of that shortest form: `9900.0`, `9.9e3` and `0.1` pass (they read back as written), `100.00000000000000001`,
 * `1e-400` (→ 0) and `1e400` (→ Infinity) do not.
 */

/** A decimal value as sign, significant digits without leading/trailing zeros, and the power of ten of the last one. */
interface DecimalValue {
  negative: boolean;
  digits: string;
  exponent: number;
}

const NUMBER_LITERAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function decimalValue(text: string): DecimalValue | undefined {
  const match = NUMBER_LITERAL.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const all = `${whole}${fraction}`;
  const leading = /^0*/.exec(all)?.[0].length ?? 0;
  if (leading === all.length) return { negative: false, digits: '', exponent: 0 }; // zero, whatever its sign
  const trailing = /0*$/.exec(all)?.[0].length ?? 0;
  // Number() of a huge exponent text saturates; such a literal never equals a finite double's form anyway.
  const exponent = Number(exponentText) - fraction.length + trailing;
  return { negative: sign === '-', digits: all.slice(leading, all.length - trailing), exponent };
}

/** True when the literal's decimal value is exactly the value of the double it parses to, written shortest. */
export function isExactJsonNumber(literal: string): boolean {
  const value = Number(literal);
  if (!Number.isFinite(value)) return false;
  const shortest = String(value);
  if (literal === shortest) return true; // the common case: integers and already-shortest decimals
  const written = decimalValue(literal);
  const denoted = decimalValue(shortest);
  if (written === undefined || denoted === undefined) return false;
  return (
    written.negative === denoted.negative && written.digits === denoted.digits && written.exponent === denoted.exponent
  );
}
