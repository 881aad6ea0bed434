/** A tiny JSON client for the integration tests: every call returns status, headers and the parsed body. */
export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON (PEM). */
  body: unknown;
  text: string;
  bytes: Uint8Array;
}

export type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;

export function client(url: string, key?: string): Call {
  return async (method, path, body, headers = {}) => {
    const init: RequestInit = {
      method,
      headers: {
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    };
    const response = await fetch(`${url}${path}`, init);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = Buffer.from(bytes).toString('utf8');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (PEM, DER): keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed, text, bytes };
  };
}

/** A string field of an answer body (`a.b.c`); throws when absent, so a test fails at the step that broke. */
export function str(body: unknown, path: string): string {
  let current: unknown = body;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) throw new Error(`no ${path} in ${JSON.stringify(body)}`);
    current = (current as Record<string, unknown>)[key];
  }
  if (typeof current !== 'string') throw new Error(`no string ${path} in ${JSON.stringify(body)}`);
  return current;
}
