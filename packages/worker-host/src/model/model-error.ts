// Provider failures as one typed error: what kind, whether retrying can help, how long the
// provider asked us to wait, and who is at fault (the provider, the caller's request, or the
// configuration such as a missing or refused key).
export type ModelErrorKind = 'rate_limited' | 'overloaded' | 'server' | 'timeout' | 'connection' | 'bad_request' | 'auth' | 'cancelled';
export type ModelErrorFault = 'provider' | 'caller' | 'config';

const RETRYABLE: ReadonlySet<ModelErrorKind> = new Set(['rate_limited', 'overloaded', 'server', 'timeout', 'connection']);

export class ModelError extends Error {
  override name = 'ModelError';
  readonly kind: ModelErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly fault: ModelErrorFault;

  constructor(options: { kind: ModelErrorKind; message: string; status?: number | undefined; retryAfterMs?: number | undefined; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.fault = options.kind === 'auth' ? 'config' : options.kind === 'bad_request' || options.kind === 'cancelled' ? 'caller' : 'provider';
  }

  /** Whether sending the same request again can succeed. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** The fields both vendor SDKs put on their errors; read defensively because anything can be thrown. */
interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  headers?: unknown;
  /** Anthropic: the error type of the body (`overloaded_error`); OpenAI: the body's `type`. */
  type?: unknown;
  /** OpenAI: the body's `code` (`rate_limit_exceeded`). */
  code?: unknown;
}

/** True for the errors fetch, the SDKs and AbortSignal throw when a request is aborted. */
export function isAbortError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as SdkErrorShape;
  return e.name === 'AbortError' || e.name === 'APIUserAbortError' || error.constructor?.name === 'APIUserAbortError';
}

export function cancelledError(provider: string, cause?: unknown): ModelError {
  return new ModelError({ kind: 'cancelled', message: `${provider} call cancelled`, cause });
}

/** Maps an SDK error (Anthropic or OpenAI: both expose status, headers and the body's error type) onto a ModelError. */
export function toModelError(error: unknown, provider: string): ModelError {
  if (error instanceof ModelError) return error;
  const e: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const className = typeof error === 'object' && error !== null ? error.constructor?.name : undefined;
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (isAbortError(error)) return cancelledError(provider, error);
  if (name === 'APIConnectionTimeoutError' || className === 'APIConnectionTimeoutError') return new ModelError({ kind: 'timeout', message: `${provider} did not answer in time; retry later or raise the timeout`, cause: error });
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (status === undefined) {
    // No HTTP status: either the connection failed, or the provider sent an error event mid-stream.
    const bodyKind = kindFromBodyType(e.type, e.code);
    if (bodyKind) return new ModelError({ kind: bodyKind, message: `${provider} failed mid-stream (${String(e.type ?? e.code)}): ${message}`, cause: error });
    return new ModelError({ kind: 'connection', message: `cannot reach ${provider} or the connection dropped: ${message}`, cause: error });
  }
  const retryAfterMs = retryAfterFrom(e.headers);
  const base = { status, retryAfterMs, cause: error };
  if (status === 429) return new ModelError({ kind: 'rate_limited', message: `${provider} rate limit (429): ${message}`, ...base });
  if (status === 529) return new ModelError({ kind: 'overloaded', message: `${provider} is overloaded (529)`, ...base });
  if (status === 408) return new ModelError({ kind: 'timeout', message: `${provider} timed out the request (408)`, ...base });
  if (status >= 500) return new ModelError({ kind: 'server', message: `${provider} server error (${status}): ${message}`, ...base });
  if (status === 401 || status === 403) return new ModelError({ kind: 'auth', message: `${provider} refused the API key (${status}); check the key in the environment`, ...base });
  return new ModelError({ kind: 'bad_request', message: `${provider} rejected the request (${status}): ${message}`, ...base });
}

/** The kind named by a provider's error type or code (`overloaded_error`, `rate_limit_exceeded`, ...). */
export function kindFromBodyType(type: unknown, code?: unknown): ModelErrorKind | undefined {
  const tag = `${typeof type === 'string' ? type : ''} ${typeof code === 'string' ? code : ''}`;
  if (/overloaded/.test(tag)) return 'overloaded';
  if (/rate_limit/.test(tag)) return 'rate_limited';
  if (/api_error|server_error|internal/.test(tag)) return 'server';
  if (/timeout/.test(tag)) return 'timeout';
  if (/invalid_request|invalid_prompt|not_found/.test(tag)) return 'bad_request';
  if (/authentication|permission/.test(tag)) return 'auth';
  return undefined;
}

/** `retry-after-ms` (OpenAI) wins over `retry-after` (seconds or an HTTP date). */
export function retryAfterFrom(headers: unknown): number | undefined {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (header(headers, 'retry-after-ms') !== undefined && Number.isFinite(ms)) return Math.max(0, ms);
  const value = header(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
