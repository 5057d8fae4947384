// Keeps one writer's appends in the order they were made while they travel to the database, and
// packs the ones that pile up during a write into the next single transaction: a worker's tool
// calls cost one round trip together, not one each. A write that fails fails the writes packed
// with it; callers that do not wait learn of it from flush().
import type { RunEvent, StoredEvent } from './run-event.ts';

interface Pending {
  events: readonly RunEvent[];
  resolve: (stored: StoredEvent[]) => void;
  reject: (error: unknown) => void;
}

/** At most this many events go into one transaction. */
const MAX_EVENTS_PER_WRITE = 500;

export class WriteQueue {
  readonly #write: (events: readonly RunEvent[]) => Promise<StoredEvent[]>;
  #tail: Promise<unknown> = Promise.resolve();
  #pending: Pending[] = [];
  #scheduled = false;
  #failure: unknown;

  constructor(write: (events: readonly RunEvent[]) => Promise<StoredEvent[]>) {
    this.#write = write;
  }

  /** Appends events, after everything queued before them; they are stored together or not at all. */
  push(events: readonly RunEvent[]): Promise<StoredEvent[]> {
    return new Promise<StoredEvent[]>((resolve, reject) => {
      this.#pending.push({ events, resolve, reject });
      this.#schedule();
    });
  }

  /** Queues events without waiting; a failure is kept and thrown by the next flush(). */
  enqueue(events: readonly RunEvent[]): void {
    this.push(events).catch((error: unknown) => {
      this.#failure ??= error;
    });
  }

  /** Runs fn once everything queued before has been written (plan versions, lock release). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Waits until everything queued so far is stored; throws the first failure of a queued write. */
  async flush(): Promise<void> {
    await this.exclusive(async () => undefined);
    if (this.#failure !== undefined) throw this.#failure;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#tail = this.#tail.then(() => this.#drain());
  }

  async #drain(): Promise<void> {
    this.#scheduled = false;
    const batch: Pending[] = [];
    let count = 0;
    while (this.#pending.length > 0 && (batch.length === 0 || count + this.#pending[0]!.events.length <= MAX_EVENTS_PER_WRITE)) {
      const next = this.#pending.shift()!;
      batch.push(next);
      count += next.events.length;
    }
    if (this.#pending.length > 0) this.#schedule();
    if (batch.length === 0) return;
    try {
      const stored = await this.#write(batch.flatMap((b) => b.events));
      let at = 0;
      for (const b of batch) {
        b.resolve(stored.slice(at, at + b.events.length));
        at += b.events.length;
      }
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }
}
