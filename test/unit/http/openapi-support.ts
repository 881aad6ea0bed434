/**
 * Just enough YAML and JSON Schema for the OpenAPI test, with no new dependency. The YAML reader handles the subset
 * docs/openapi.yaml is written in (block maps and sequences, quoted and plain scalars, one-line flow lists, full-line
 * comments) and throws on anything else, so the document cannot drift outside what is checked.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const indentOf = (line: string) => line.length - line.trimStart().length;

function scalar(text: string): Json {
  const t = text.trim();
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new Error(`unterminated quote: ${t}`);
    return t.slice(1, -1).replaceAll("''", "'");
  }
  if (t.startsWith('"')) return JSON.parse(t) as string;
  if (t === '[]') return [];
  if (t === '{}') return {};
  if (t.startsWith('[')) {
    if (!t.endsWith(']')) throw new Error(`unsupported flow list: ${t}`);
    return t
      .slice(1, -1)
      .split(',')
      .map((item) => scalar(item));
  }
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

function splitKey(content: string): [string, string] {
  if (content.startsWith("'") || content.startsWith('"')) {
    const close = content.indexOf(content[0]!, 1);
    const rest = content.slice(close + 1);
    if (!rest.startsWith(':')) throw new Error(`bad key: ${content}`);
    return [content.slice(1, close), rest.slice(1).trim()];
  }
  const at = content.indexOf(': ');
  if (at >= 0) return [content.slice(0, at), content.slice(at + 2).trim()];
  if (content.endsWith(':')) return [content.slice(0, -1), ''];
  throw new Error(`not a mapping entry: ${content}`);
}

function parseBlock(lines: string[], start: number, indent: number): [Json, number] {
  let i = start;
  if (lines[i]!.trimStart().startsWith('- ')) {
    const list: Json[] = [];
    while (i < lines.length && indentOf(lines[i]!) === indent && lines[i]!.trimStart().startsWith('- ')) {
      const content = lines[i]!.trimStart().slice(2);
      if (/^('[^']*'|"[^"]*"|[^'"\s][^:]*):( |$)/.test(content) && !content.startsWith('[')) {
        lines[i] = ' '.repeat(indent + 2) + content;
        const [value, next] = parseBlock(lines, i, indent + 2);
        list.push(value);
        i = next;
      } else {
        list.push(scalar(content));
        i += 1;
      }
    }
    return [list, i];
  }
  const map: Record<string, Json> = {};
  while (i < lines.length && indentOf(lines[i]!) === indent) {
    const [key, rest] = splitKey(lines[i]!.trim());
    i += 1;
    if (rest !== '') {
      map[key] = scalar(rest);
    } else if (i < lines.length && indentOf(lines[i]!) > indent) {
      const [value, next] = parseBlock(lines, i, indentOf(lines[i]!));
      map[key] = value;
      i = next;
    } else {
      map[key] = null;
    }
  }
  if (i < lines.length && indentOf(lines[i]!) > indent) throw new Error(`bad indentation at: ${lines[i]}`);
  return [map, i];
}

export function parseYamlSubset(text: string): Json {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const [value, next] = parseBlock(lines, 0, 0);
  if (next !== lines.length) throw new Error(`unparsed YAML from: ${lines[next]}`);
  return value;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema nodes are dynamic.
type Schema = any;

const typeOk = (type: string, value: unknown): boolean =>
  type === 'integer'
    ? Number.isInteger(value)
    : type === 'array'
      ? Array.isArray(value)
      : type === 'object'
        ? typeof value === 'object' && value !== null && !Array.isArray(value)
        : type === 'null'
          ? value === null
          : typeof value === type;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Errors of `value` against the JSON Schema subset the document uses; [] when valid. */
export function validate(root: Schema, schema: Schema, value: unknown, path = '$'): string[] {
  if (schema.$ref) {
    const target = (schema.$ref as string)
      .slice(2)
      .split('/')
      .reduce((node: Schema, part: string) => node?.[part], root);
    if (!target) return [`${path}: unresolved ${schema.$ref}`];
    return validate(root, target, value, path);
  }
  if (schema.oneOf) {
    const passing = (schema.oneOf as Schema[]).filter((s) => validate(root, s, value, path).length === 0);
    return passing.length === 1 ? [] : [`${path}: matches ${passing.length} of oneOf`];
  }
  const errors: string[] = [];
  if (schema.type && !typeOk(schema.type, value)) return [`${path}: expected ${schema.type}`];
  if ('const' in schema && value !== schema.const) errors.push(`${path}: expected ${schema.const}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${String(value)} not in enum`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: does not match pattern`);
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: too short`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: too long`);
    if (schema.format === 'date-time' && !RFC3339.test(value)) errors.push(`${path}: not RFC 3339`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above maximum`);
  }
  if (Array.isArray(value) && schema.items) {
    for (const [index, item] of value.entries())
      errors.push(...validate(root, schema.items, item, `${path}[${index}]`));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in record)) errors.push(`${path}.${name}: required`);
    if (schema.minProperties !== undefined && Object.keys(record).length < schema.minProperties) {
      errors.push(`${path}: too few properties`);
    }
    for (const [name, child] of Object.entries(record)) {
      const property = schema.properties?.[name];
      if (property) errors.push(...validate(root, property, child, `${path}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${name}: not allowed`);
    }
  }
  return errors;
}
