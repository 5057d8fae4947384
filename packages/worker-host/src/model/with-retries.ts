// Bounded retries with exponential backoff and jitter for the failures retrying can fix
// (429, 529, 5xx, timeouts, dropped connections), honouring the provider's retry-after. The
// vendor SDKs' own retries are turned off, so these are the only ones. Anything that is not a
// ModelError (a script error, a bug of ours) is passed through untouched and never retried.
import { cancelledError, ModelError } from './model-error.ts';
import type { ModelClient, ModelRequest, ModelTurn } from './model-client.ts';

export interface RetryPolicy {
  /** Retries after the first attempt; 0 turns retrying off. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A provider asking us to wait longer than this is not retried: the error is returned at once. */
  maxRetryAfterMs?: number;
  /** Injected in tests so nothing waits for real. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  onRetry?: (error: ModelError, attempt: number, delayMs: number) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** The wait before retry number `attempt` (1-based): the provider's retry-after, or backoff with jitter. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, error: ModelError, random: () => number = Math.random): number {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(error.retryAfterMs ?? 0, backoff / 2 + random() * (backoff / 2));
}

export function withRetries(client: ModelClient, policy: RetryPolicy = DEFAULT_RETRY): ModelClient {
  const sleep = policy.sleep ?? defaultSleep;
  const random = policy.random ?? Math.random;
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? Number.POSITIVE_INFINITY;
  return {
    ...client,
    complete: async (request: ModelRequest): Promise<ModelTurn> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await client.complete(request);
        } catch (thrown) {
          if (request.signal?.aborted) throw thrown instanceof ModelError && thrown.kind === 'cancelled' ? thrown : cancelledError(client.provider, thrown);
          if (!(thrown instanceof ModelError) || !thrown.retryable || attempt > policy.maxRetries) throw thrown;
          if ((thrown.retryAfterMs ?? 0) > maxRetryAfterMs) {
            throw new ModelError({ kind: thrown.kind, status: thrown.status, retryAfterMs: thrown.retryAfterMs, cause: thrown, message: `${thrown.message}; the provider asked to wait ${Math.ceil((thrown.retryAfterMs ?? 0) / 1000)} s, longer than the ${Math.ceil(maxRetryAfterMs / 1000)} s we wait, so try again later` });
          }
          const delay = retryDelayMs(policy, attempt, thrown, random);
          policy.onRetry?.(thrown, attempt, delay);
          await sleep(delay, request.signal);
        }
      }
    },
  };
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError('model', signal.reason));
    const onAbort = () => (clearTimeout(timer), reject(cancelledError('model', signal?.reason)));
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
