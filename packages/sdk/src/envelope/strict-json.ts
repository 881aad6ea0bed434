/**
 * JSON text → value, refusing duplicate object keys. `JSON.parse` silently keeps the LAST of duplicate keys, while
 * other parsers keep the first or fail: an envelope such as `{"payload": {"amount": 1000000, "amount": 1}}` would be
 * scope-checked and signature-verified here with amount 1, yet a downstream system parsing the same bytes first-wins
 * would move 1,000,000. RFC 8785 §3.1 and RFC 7493 (I-JSON) both require unique names, so the verifier's HTTP edge
 * and gateway middleware parse request bodies with `parseJsonStrict` rather than `JSON.parse`. For the same reason a
 * number whose text would be rounded on parsing is refused (exact-number.ts, docs/api.md §4). One definition for the
 * service (src/core/envelope/strict-json.ts re-exports it) and the SDK, so both refuse exactly the same texts.
 */
import { invalidInput } from '../errors.js';
import { isExactJsonNumber } from './exact-number.js';

/** Deeper nesting is refused rather than scanned (the scan recurses once per level). */
export const MAX_STRICT_JSON_DEPTH = 64;

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

class StrictJsonScanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** The first duplicated key, inexact number or too deep value, or undefined. The text must already be valid JSON. */
  scan(): Refused | undefined {
    try {
      this.value('', 0);
      return undefined;
    } catch (found) {
      if (found instanceof Refused) return found;
      throw found;
    }
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text[this.pos] ?? '')) this.pos += 1;
  }

  private value(path: string, depth: number): void {
    if (depth > MAX_STRICT_JSON_DEPTH)
      throw new Refused(`JSON nesting deeper than ${MAX_STRICT_JSON_DEPTH} levels`, path);
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{') {
      this.object(path, depth);
    } else if (c === '[') {
      this.array(path, depth);
    } else if (c === '"') {
      this.string();
    } else {
      this.literal(path);
    }
  }

  /**
   * A number or true/false/null: runs until a structural character or whitespace. A number whose text is not exactly
   * the double it parses to is refused (docs/api.md §4): the signed value and the text must never differ.
   */
  private literal(path: string): void {
    const start = this.pos;
    while (
      this.pos < this.text.length &&
      !',]}'.includes(this.text[this.pos] ?? '') &&
      !WHITESPACE.has(this.text[this.pos] ?? '')
    ) {
      this.pos += 1;
    }
    const first = this.text[start] ?? '';
    if ((first === '-' || (first >= '0' && first <= '9')) && !isExactJsonNumber(this.text.slice(start, this.pos))) {
      throw new Refused('number is not exactly representable (it would be rounded)', path);
    }
  }

  private object(path: string, depth: number): void {
    this.pos += 1;
    const seen = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      const key = this.string();
      const child = path === '' ? key : `${path}.${key}`;
      if (seen.has(key)) throw new Refused('duplicate JSON object key', child);
      seen.add(key);
      this.skipWhitespace();
      this.pos += 1; // ':'
      this.value(child, depth + 1);
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos += 1;
      if (next !== ',') return; // '}'
    }
  }

  private array(path: string, depth: number): void {
    this.pos += 1;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return;
    }
    for (let index = 0; ; index += 1) {
      this.value(`${path}[${index}]`, depth + 1);
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos += 1;
      if (next !== ',') return; // ']'
    }
  }

  /** Reads a string token and returns its decoded value, so `"a"` and `"\u0061"` are the same key. */
  private string(): string {
    const start = this.pos;
    this.pos += 1;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    this.pos += 1;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }
}

class Refused {
  constructor(
    readonly message: string,
    readonly path: string,
  ) {}
}

/**
 * Parses JSON text like `JSON.parse`, but a duplicated object key anywhere is KakuninError INVALID_REQUEST (400)
 * whose `field` is the JSON path of the repeated key (`payload.amount`), and so is a number whose text is not exactly
 * the double it denotes (`100.00000000000000001`, `1e-400`, `1e400`), and nesting deeper than
 * {@link MAX_STRICT_JSON_DEPTH}. Invalid JSON is INVALID_REQUEST too, without a field.
 */
export function parseJsonStrict(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidInput('request body is not valid JSON');
  }
  const refused = new StrictJsonScanner(text).scan();
  if (refused !== undefined) throw invalidInput(refused.message, refused.path === '' ? undefined : refused.path);
  return value;
}
