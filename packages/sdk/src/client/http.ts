/**
 * The HTTP core of the client: auth header, JSON in and out, a timeout per attempt, contract errors (§1) as
 * KakuninError, and retries with exponential backoff and full jitter for calls that are safe to repeat.
 *
 * Which calls retry: every GET, and `POST /v1/actions/verify` (a repeated envelope carries the same nonce, so at most
 * one attempt can pass: idempotent in effect). They retry on 429, 503, network errors and timeouts. Nothing else
 * retries: a repeated create, sign or revoke could act twice.
 */
import { invalidInput, KakuninError } from '../errors.js';

export interface HttpOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  /** Per attempt. @default 10_000 */
  timeoutMs?: number;
  /** Extra attempts for retryable calls. @default 2 */
  retries?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** First backoff step. @default 100 */
  retryBaseMs?: number;
  /** Upper bound of one backoff. @default 2_000 */
  retryMaxMs?: number;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Repeating it cannot act twice (see module comment). @default method === 'GET' */
  idempotent?: boolean;
  /** How to read a 2xx answer. @default 'json' */
  as?: 'json' | 'text' | 'bytes';
  /** Statuses whose JSON body is a normal answer rather than an error (verify's 403 `{verified:false}`). */
  acceptBody?: (status: number, body: unknown) => boolean;
  auth?: boolean;
}

const RETRYABLE_STATUS = new Set([429, 503]);

export class HttpClient {
  private readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly fetchImpl: typeof fetch;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;

  constructor(options: HttpOptions) {
    if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
      throw new TypeError('baseUrl must be an http(s) URL');
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = Math.max(0, Math.floor(options.retries ?? 2));
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.retryBaseMs = options.retryBaseMs ?? 100;
    this.retryMaxMs = options.retryMaxMs ?? 2_000;
  }

  async request<T>(spec: RequestSpec): Promise<T> {
    // An id of '', '.' or '..' (or a %2e spelling) is an empty or dot segment: URL parsing resolves it away and the
    // request reaches another route (`agents.get('.')` was `GET /v1/agents/`, the listing). Refused before any request.
    if (
      spec.path
        .split('/')
        .slice(1)
        .some((s) => s === '' || /^(\.|%2e){1,2}$/i.test(s))
    ) {
      throw invalidInput('a path id must not be empty, "." or ".."', 'id');
    }
    const idempotent = spec.idempotent ?? spec.method === 'GET';
    const attempts = idempotent ? this.retries + 1 : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.attempt<T>(spec);
      } catch (error) {
        if (!(error instanceof KakuninError) || attempt >= attempts || !isRetryable(error)) throw error;
        await sleep(this.backoff(attempt));
      }
    }
  }

  /** Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): uniform in [0, min(max, base·2^n)). */
  private backoff(attempt: number): number {
    return Math.random() * Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (attempt - 1));
  }

  private url(spec: RequestSpec): string {
    const url = new URL(this.baseUrl + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private async attempt<T>(spec: RequestSpec): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.auth !== false && this.apiKey !== undefined) headers.authorization = `Bearer ${this.apiKey}`;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      let response: Response;
      try {
        response = await this.fetchImpl(this.url(spec), {
          method: spec.method,
          headers,
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal: controller.signal,
        });
      } catch (error) {
        if (controller.signal.aborted) {
          throw new KakuninError('TIMEOUT', `no answer within ${this.timeoutMs} ms`, { cause: error });
        }
        throw new KakuninError('UNAVAILABLE', 'network error', { cause: error });
      }
      return await this.read<T>(response, spec, controller);
    } finally {
      clearTimeout(timer);
    }
  }

  private async read<T>(response: Response, spec: RequestSpec, controller: AbortController): Promise<T> {
    let raw: ArrayBuffer;
    try {
      raw = await response.arrayBuffer();
    } catch (error) {
      const code = controller.signal.aborted ? 'TIMEOUT' : 'UNAVAILABLE';
      throw new KakuninError(code, 'answer was cut off', { status: response.status, cause: error });
    }
    const requestId = response.headers.get('x-request-id') ?? undefined;
    if (response.ok && spec.as === 'bytes') return new Uint8Array(raw) as T;
    const text = new TextDecoder().decode(raw);
    if (response.ok && spec.as === 'text') return text as T;
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok) {
      if (body === undefined) throw new KakuninError('UNAVAILABLE', 'answer is not JSON', { status: response.status });
      return body as T;
    }
    if (spec.acceptBody?.(response.status, body)) return body as T;
    throw errorFromAnswer(response.status, body, requestId);
  }
}

function errorFromAnswer(status: number, body: unknown, requestId: string | undefined): KakuninError {
  const error = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : fallbackCode(status);
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  const field = typeof error?.field === 'string' ? error.field : undefined;
  return new KakuninError(code, message, { status, field, requestId });
}

function fallbackCode(status: number): string {
  if (status === 400) return 'INVALID_REQUEST';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'THROTTLED';
  return 'UNAVAILABLE';
}

function isRetryable(error: KakuninError): boolean {
  if (error.status === 0) return error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT';
  return RETRYABLE_STATUS.has(error.status);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
