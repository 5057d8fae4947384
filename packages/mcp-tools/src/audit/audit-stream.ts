// An in-process stream of audit records, shared by the stdio and HTTP hosts: synchronous
// subscribers (the orchestrator stores records with its task) and async iteration.
// Publishing never throws into the tool path, whatever a subscriber does.
import type { ToolCallRecord } from './tool-call-record.ts';

export type ToolCallListener = (record: ToolCallRecord) => void;

export interface AuditStream {
  publish(record: ToolCallRecord): void;
  /** Called synchronously for every record published after this; returns an unsubscribe function. */
  subscribe(listener: ToolCallListener): () => void;
  /**
   * Records published from now on, in order, until the stream closes or `signal` aborts.
   * Unread records are buffered without bound, so keep reading.
   */
  records(options?: { signal?: AbortSignal }): AsyncIterableIterator<ToolCallRecord>;
  /** Ends every iterator; later publishes are dropped. */
  close(): void;
}

export interface AuditStreamOptions {
  /** Told when a subscriber throws; the record still reaches the other subscribers. */
  onListenerError?: (error: unknown) => void;
}

export function createAuditStream(options: AuditStreamOptions = {}): AuditStream {
  const listeners = new Set<ToolCallListener>();
  const endings = new Set<() => void>();
  let closed = false;

  function subscribe(listener: ToolCallListener): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  return {
    publish(record) {
      if (closed) return;
      for (const listener of listeners) {
        try {
          listener(record);
        } catch (error) {
          options.onListenerError?.(error);
        }
      }
    },
    subscribe,
    records({ signal } = {}) {
      const buffer: ToolCallRecord[] = [];
      let wake: (() => void) | undefined;
      let done = closed || signal?.aborted === true;
      const finish = () => {
        done = true;
        unsubscribe();
        endings.delete(finish);
        signal?.removeEventListener('abort', finish);
        wake?.();
      };
      const unsubscribe = subscribe((record) => {
        buffer.push(record);
        wake?.();
      });
      endings.add(finish);
      signal?.addEventListener('abort', finish, { once: true });
      if (done) finish();
      const iterator: AsyncIterableIterator<ToolCallRecord> = {
        async next() {
          while (buffer.length === 0 && !done) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
          const record = buffer.shift();
          return record ? { value: record, done: false } : { value: undefined, done: true };
        },
        async return() {
          finish();
          return { value: undefined, done: true };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    close() {
      closed = true;
      for (const finish of [...endings]) finish();
      listeners.clear();
    },
  };
}
