// Bounded retries with exponential backoff and jitter for the failures retrying can fix
// (429, 529, 5xx, timeouts, dropped connections), honouring the provider's retry-after. The
// vendor SDKs' own retries are turned off, so these are the only ones.
import { ModelError, toModelError } from './model-error.ts';
import type { ModelClient, ModelRequest, ModelTurn } from './model-client.ts';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected in tests so nothing waits for real. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  onRetry?: (error: ModelError, attempt: number, delayMs: number) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 };

export function withRetries(client: ModelClient, policy: RetryPolicy = DEFAULT_RETRY): ModelClient {
  const sleep = policy.sleep ?? defaultSleep;
  const random = policy.random ?? Math.random;
  return {
    provider: client.provider,
    model: client.model,
    scripted: client.scripted,
    async complete(request: ModelRequest): Promise<ModelTurn> {
      for (let attempt = 0; ; attempt++) {
        try {
          return await client.complete(request);
        } catch (thrown) {
          const error = request.signal?.aborted ? new ModelError({ kind: 'cancelled', message: 'cancelled' }) : toModelError(thrown, client.provider);
          if (!error.retryable || attempt >= policy.maxRetries) throw error;
          const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
          const delay = Math.max(error.retryAfterMs ?? 0, backoff / 2 + random() * (backoff / 2));
          policy.onRetry?.(error, attempt + 1, delay);
          await sleep(delay, request.signal);
        }
      }
    },
  };
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new ModelError({ kind: 'cancelled', message: 'cancelled while waiting to retry' }))), { once: true });
  });
}
