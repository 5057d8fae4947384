// Watches one streamed model call. The SDKs' timeouts stop at the response headers and their
// streams end quietly when aborted, so without this a stalled stream hangs forever and a
// cancelled or cut-off one looks like a short, successful turn. The watch owns the signal
// given to the SDK: it aborts it when the caller cancels or no event arrives for too long, and
// turns however the stream stopped into the right outcome.
import { cancelledError, ModelError, toModelError } from './model-error.ts';

export interface StreamWatch {
  /** Pass this to the SDK call instead of the caller's signal. */
  readonly signal: AbortSignal;
  /** Call on every stream event: it restarts the idle timer and throws if the call was stopped. */
  touch(): void;
  /** Call after the stream ended: throws unless the provider said the message was complete. */
  ended(sawFinalEvent: boolean): void;
  /** Turns whatever the SDK threw into the ModelError that says what really happened. */
  explain(error: unknown): ModelError;
  dispose(): void;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

export function watchStream(options: { provider: string; signal?: AbortSignal | undefined; idleTimeoutMs?: number | undefined }): StreamWatch {
  const controller = new AbortController();
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let idle = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      controller.abort(new ModelError({ kind: 'timeout', message: `${options.provider} sent nothing for ${idleMs} ms` }));
    }, idleMs);
  };
  const onCallerAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  arm();

  const stopped = (): ModelError | undefined => {
    if (options.signal?.aborted) return cancelledError(options.provider);
    if (idle) return new ModelError({ kind: 'timeout', message: `${options.provider} sent nothing for ${idleMs} ms; the call was abandoned` });
    return undefined;
  };
  return {
    signal: controller.signal,
    touch() {
      const error = stopped();
      if (error) throw error;
      arm();
    },
    ended(sawFinalEvent) {
      const error = stopped();
      if (error) throw error;
      if (!sawFinalEvent) throw new ModelError({ kind: 'connection', message: `${options.provider} closed the stream before the message was complete` });
    },
    explain(error) {
      return stopped() ?? toModelError(error, options.provider);
    },
    dispose() {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
