// Which PostgreSQL failures are the connection's (the server restarting, a dropped socket) and
// not the statement's, and a bounded retry of work that is safe to repeat. Every write baton
// retries carries its write id, so a commit whose acknowledgement was lost is not stored twice.

/** SQLSTATE classes and codes that mean "try again on a new connection". */
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const TRANSIENT_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH']);

export function isTransientPgError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (TRANSIENT_CODES.has(code) || code.startsWith('08') || TRANSIENT_ERRNOS.has(code)) return true;
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)|Client was closed|Connection ended/i.test(error.message);
}

export interface RetryPolicy {
  /** Give up once this long has passed since the first try. */
  deadlineMs: number;
  /** First pause; doubles up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { deadlineMs: 120_000, firstDelayMs: 100, maxDelayMs: 2_000 };

/** The database could not be reached for the whole retry window. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/**
 * Runs fn until it succeeds, fails with an error that is not the connection's, or the deadline
 * passes; onRetry hears of each transient failure (for logs).
 */
export async function withPgRetry<T>(fn: () => Promise<T>, options: { policy?: RetryPolicy; what: string; location: string; onRetry?: (error: unknown) => void }): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const started = Date.now();
  let delay = policy.firstDelayMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransientPgError(error)) throw error;
      if (Date.now() - started + delay > policy.deadlineMs) {
        const message = error instanceof Error ? error.message : String(error);
        throw new StoreUnavailableError(`the run store at ${options.location} could not be reached for ${Math.round((Date.now() - started) / 1000)}s while ${options.what}: ${message}. Check that PostgreSQL is running and reachable, then resume the run.`);
      }
      options.onRetry?.(error);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
