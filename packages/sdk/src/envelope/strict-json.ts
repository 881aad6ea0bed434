/**
 * JSON text → value, with the two refusals that `JSON.parse` does not make and that keep the signed value and what a
 * downstream system reads identical (docs/api.md §4, RFC 8785 §3.1, RFC 7493):
 * - a duplicated object key anywhere (`JSON.parse` keeps the last, other parsers the first);
 * - a number whose decimal text is not exactly the double it denotes (exact-number.ts).
 * Both answer KakuninError INVALID_REQUEST (400) with `field` = the JSON path.
 */
import { invalidInput } from '../errors.js';
import { isExactJsonNumber } from './exact-number.js';

const MAX_DEPTH = 64;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  run(): void {
    this.value('', 0);
  }

  private skip(): void {
    while (WHITESPACE.has(this.text[this.pos] ?? '')) this.pos += 1;
  }

  private value(path: string, depth: number): void {
    if (depth > MAX_DEPTH) throw invalidInput(`JSON nesting deeper than ${MAX_DEPTH} levels`, path || undefined);
    this.skip();
    const c = this.text[this.pos];
    if (c === '{') this.object(path, depth);
    else if (c === '[') this.array(path, depth);
    else if (c === '"') this.string();
    else this.literal(path);
  }

  private literal(path: string): void {
    const start = this.pos;
    while (
      this.pos < this.text.length &&
      !',]}'.includes(this.text[this.pos] ?? '') &&
      !WHITESPACE.has(this.text[this.pos] ?? '')
    ) {
      this.pos += 1;
    }
    const token = this.text.slice(start, this.pos);
    if (token === 'true' || token === 'false' || token === 'null') return;
    if (!isExactJsonNumber(token)) {
      throw invalidInput('number is not exactly representable as an IEEE-754 double', path || undefined);
    }
  }

  private object(path: string, depth: number): void {
    this.pos += 1;
    const seen = new Set<string>();
    this.skip();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return;
    }
    for (;;) {
      this.skip();
      const key = this.string();
      const child = path === '' ? key : `${path}.${key}`;
      if (seen.has(key)) throw invalidInput('duplicate JSON object key', child);
      seen.add(key);
      this.skip();
      this.pos += 1; // ':'
      this.value(child, depth + 1);
      this.skip();
      const next = this.text[this.pos];
      this.pos += 1;
      if (next !== ',') return;
    }
  }

  private array(path: string, depth: number): void {
    this.pos += 1;
    this.skip();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return;
    }
    for (let index = 0; ; index += 1) {
      this.value(`${path}[${index}]`, depth + 1);
      this.skip();
      const next = this.text[this.pos];
      this.pos += 1;
      if (next !== ',') return;
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

/** Parses JSON text, refusing duplicate keys and inexact numbers (KakuninError INVALID_REQUEST with `field`). */
export function parseJsonStrict(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidInput('body is not valid JSON');
  }
  new Scanner(text).run(); // the text is valid JSON here, so the scanner can trust its structure
  return value;
}
