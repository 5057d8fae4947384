// Provider failures as one typed error: what kind, whether retrying can help, how long the
// provider asked us to wait, and who is at fault.
export type ModelErrorKind = 'rate_limited' | 'overloaded' | 'server' | 'timeout' | 'connection' | 'bad_request' | 'auth' | 'cancelled';

export class ModelError extends Error {
  override name = 'ModelError';
  readonly kind: ModelErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly fault: 'provider' | 'caller' | 'config';

  constructor(options: { kind: ModelErrorKind; message: string; status?: number; retryAfterMs?: number }) {
    super(options.message);
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.fault = options.kind === 'auth' ? 'config' : options.kind === 'bad_request' || options.kind === 'cancelled' ? 'caller' : 'provider';
  }

  get retryable(): boolean {
    return ['rate_limited', 'overloaded', 'server', 'timeout', 'connection'].includes(this.kind);
  }
}

/** Maps an SDK error (Anthropic or OpenAI: both expose status and headers) onto a ModelError. */
export function toModelError(error: unknown, provider: string): ModelError {
  if (error instanceof ModelError) return error;
  const e = error as { status?: number; headers?: Headers | Record<string, string>; name?: string; message?: string; constructor?: { name?: string } };
  const name = e?.constructor?.name ?? e?.name ?? '';
  const message = e?.message ?? String(error);
  if (name === 'APIUserAbortError' || name === 'AbortError') return new ModelError({ kind: 'cancelled', message: `${provider} call cancelled` });
  if (name === 'APIConnectionTimeoutError') return new ModelError({ kind: 'timeout', message: `${provider} did not answer in time` });
  if (name === 'APIConnectionError') return new ModelError({ kind: 'connection', message: `cannot reach ${provider}: ${message}` });
  const status = typeof e?.status === 'number' ? e.status : undefined;
  if (status === undefined) return new ModelError({ kind: 'connection', message: `${provider} call failed: ${message}` });
  const retryAfterMs = parseRetryAfter(header(e.headers, 'retry-after'));
  const base = { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (status === 429) return new ModelError({ kind: 'rate_limited', message: `${provider} rate limit (429)`, ...base });
  if (status === 529) return new ModelError({ kind: 'overloaded', message: `${provider} is overloaded (529)`, ...base });
  if (status >= 500) return new ModelError({ kind: 'server', message: `${provider} server error (${status})`, ...base });
  if (status === 401 || status === 403) return new ModelError({ kind: 'auth', message: `${provider} refused the API key (${status}); check the key in the environment`, ...base });
  return new ModelError({ kind: 'bad_request', message: `${provider} rejected the request (${status}): ${message}`, ...base });
}

function header(headers: Headers | Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  return (headers as Record<string, string>)[name];
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
