/**
 * JSON text → value, refusing duplicate object keys. `JSON.parse` silently keeps the LAST of duplicate keys, while
 * other parsers keep the first or fail: an envelope such as `{"payload": {"amount": 1000000, "amount": 1}}` would be
 * scope-checked and signature-verified here with amount 1, yet a downstream system parsing the same bytes first-wins
 * would move 1,000,000. RFC 8785 §3.1 and RFC 7493 (I-JSON) both require unique names, so the verifier's HTTP edge
 * should parse request bodies with `parseJsonStrict` rather than `JSON.parse`.
 */
import { invalidRequest } from '../errors.js';

/** Deeper nesting is refused rather than scanned (the scan recurses once per level). */
export const MAX_STRICT_JSON_DEPTH = 64;

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

class DuplicateKeyScanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** JSON path of the first duplicated key, or undefined. The text must already be valid JSON. */
  scan(): string | undefined {
    try {
      this.value('', 0);
      return undefined;
    } catch (found) {
      if (found instanceof DuplicateKey) return found.path;
      throw found;
    }
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text[this.pos] ?? '')) this.pos += 1;
  }

  private value(path: string, depth: number): void {
    if (depth > MAX_STRICT_JSON_DEPTH) throw invalidRequest(`JSON nesting deeper than ${MAX_STRICT_JSON_DEPTH} levels`);
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{') {
      this.object(path, depth);
    } else if (c === '[') {
      this.array(path, depth);
    } else if (c === '"') {
      this.string();
    } else {
      this.literal();
    }
  }

  /** A number or true/false/null: runs until a structural character or whitespace. */
  private literal(): void {
    while (
      this.pos < this.text.length &&
      !',]}'.includes(this.text[this.pos] ?? '') &&
      !WHITESPACE.has(this.text[this.pos] ?? '')
    ) {
      this.pos += 1;
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
      if (seen.has(key)) throw new DuplicateKey(child);
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

class DuplicateKey {
  constructor(readonly path: string) {}
}

/**
 * Parses JSON text like `JSON.parse`, but a duplicated object key anywhere is a 400 INVALID_REQUEST whose `field` is
 * the JSON path of the repeated key (`payload.amount`). Invalid JSON is INVALID_REQUEST too.
 */
export function parseJsonStrict(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest('request body is not valid JSON');
  }
  const duplicate = new DuplicateKeyScanner(text).scan();
  if (duplicate !== undefined) throw invalidRequest('duplicate JSON object key', duplicate);
  return value;
}
