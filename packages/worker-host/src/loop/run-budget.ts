// A budget shared by every model call of a run — parallel workers, the reviewer, the merge
// worker, the planner, and any other kind of worker (an agent CLI) — so that the run's tokens,
// cost and wall time hold to within the one call in flight, however many run at once.
//
// How to use it: call `admit()` before a model call starts; it resolves with a permit (or
// rejects with RunBudgetExhaustedError once a limit is reached, or when its signal aborts).
// When the call ends, `permit.settle({tokens, costUsd})` with what it spent, or
// `permit.release()` if it failed without reporting usage. `budgetedModel()` does this around
// every call of a ModelClient. A worker that is not a ModelClient (a CLI that calls the model
// itself) admits before each unit of work it can stop between, settles with what it reports.
//
// The rule: while calls are in flight, another is admitted only if what was spent, what the
// calls in flight may still spend (each reserved at the size of the largest call seen so far)
// and its own reservation all fit under every limit; otherwise it waits for a call in flight
// to finish. With nothing in flight, a call is admitted as long as no limit is reached: that
// one call may cross it. Once a limit is reached nothing more is admitted, and calls already in
// flight finish. So the total stays below the limit plus one call — unless a call is bigger
// than any before it, which can overshoot by its excess. Wall time is not reserved: no call
// starts after the deadline; calls in flight finish.
import { cancelledError } from '../model/model-error.ts';
import type { ModelClient, ModelUsage } from '../model/model-client.ts';

export interface RunBudgetLimits {
  /** Input + output tokens of all calls. */
  tokens?: number;
  costUsd?: number;
  /** Wall time the run may work, earlier processes' time included. */
  wallMs?: number;
}

export type RunBudgetResource = 'tokens' | 'cost' | 'wall_time';

/** What one call spent, or a total. */
export interface CallSpend {
  tokens: number;
  costUsd: number;
}

export class RunBudgetExhaustedError extends Error {
  override name = 'RunBudgetExhaustedError';
  readonly resource: RunBudgetResource;
  readonly used: number;
  readonly limit: number;
  constructor(input: { resource: RunBudgetResource; used: number; limit: number }) {
    const unit = input.resource === 'tokens' ? ' tokens' : input.resource === 'cost' ? ' USD' : ' ms';
    super(`the run's ${input.resource.replace('_', ' ')} budget is spent (${round(input.used)} of ${round(input.limit)}${unit}); no more model calls start`);
    this.resource = input.resource;
    this.used = input.used;
    this.limit = input.limit;
  }
}

export interface CallPermit {
  /** Records what the call spent and frees its reservation. Only the first settle or release counts. */
  settle(spent: CallSpend): void;
  /** The call failed without reporting usage: frees its reservation, records nothing. */
  release(): void;
}

export interface RunBudget {
  readonly limits: Readonly<RunBudgetLimits>;
  /** Waits until a call may start. Rejects with RunBudgetExhaustedError once a limit is reached. */
  admit(signal?: AbortSignal): Promise<CallPermit>;
  /** The first limit reached, if any: nothing more will be admitted. */
  exhausted(): RunBudgetResource | undefined;
  /** The error admit() would refuse with now, if a limit is reached (for callers that learn of it another way). */
  exhaustedError(): RunBudgetExhaustedError | undefined;
  /** Spent so far (settled calls only) and calls in flight. */
  usage(): CallSpend & { wallMs: number; inFlight: number };
}

export interface RunBudgetOptions {
  limits: RunBudgetLimits;
  /** What the run spent before this budget was made (earlier calls, earlier processes). */
  spent?: CallSpend;
  /** The largest single call seen so far; reservations start from it. */
  largestCall?: CallSpend;
  /** Wall time the run used before (in earlier processes). */
  elapsedMs?: number;
  now?: () => number;
}

export function createRunBudget(options: RunBudgetOptions): RunBudget {
  const limits = { ...options.limits };
  const now = options.now ?? Date.now;
  const startedAt = now();
  const spent: CallSpend = { tokens: options.spent?.tokens ?? 0, costUsd: options.spent?.costUsd ?? 0 };
  const largest: CallSpend = { tokens: options.largestCall?.tokens ?? 0, costUsd: options.largestCall?.costUsd ?? 0 };
  // Until one call has been seen, nobody knows how big a call is: calls then run one at a time.
  let sized = options.largestCall !== undefined;
  const reserved = new Set<CallSpend>();
  let wake: (() => void)[] = [];
  const wallMs = () => (options.elapsedMs ?? 0) + Math.max(0, now() - startedAt);

  const reached = (): { resource: RunBudgetResource; used: number; limit: number } | undefined => {
    if (limits.tokens !== undefined && spent.tokens >= limits.tokens) return { resource: 'tokens', used: spent.tokens, limit: limits.tokens };
    if (limits.costUsd !== undefined && spent.costUsd >= limits.costUsd) return { resource: 'cost', used: spent.costUsd, limit: limits.costUsd };
    if (limits.wallMs !== undefined && wallMs() >= limits.wallMs) return { resource: 'wall_time', used: wallMs(), limit: limits.wallMs };
    return undefined;
  };
  // Would one more call of the largest size seen fit beside the calls in flight?
  const fits = (): boolean => {
    const pending = { tokens: 0, costUsd: 0 };
    for (const r of reserved) {
      pending.tokens += r.tokens;
      pending.costUsd += r.costUsd;
    }
    const fit = (limit: number | undefined, used: number, inFlight: number, next: number) => limit === undefined || (sized && used + inFlight + next <= limit);
    return fit(limits.tokens, spent.tokens, pending.tokens, largest.tokens) && fit(limits.costUsd, spent.costUsd, pending.costUsd, largest.costUsd);
  };
  const wakeAll = () => {
    const waiting = wake;
    wake = [];
    for (const resolve of waiting) resolve();
  };

  return {
    limits,
    async admit(signal) {
      for (;;) {
        if (signal?.aborted) throw cancelledError('run budget');
        const limit = reached();
        if (limit) throw new RunBudgetExhaustedError(limit);
        if (reserved.size === 0 || fits()) {
          const reservation = { ...largest };
          reserved.add(reservation);
          let open = true;
          const close = (spend: CallSpend | undefined) => {
            if (!open) return;
            open = false;
            reserved.delete(reservation);
            if (spend) {
              spent.tokens += spend.tokens;
              spent.costUsd += spend.costUsd;
              largest.tokens = Math.max(largest.tokens, spend.tokens);
              largest.costUsd = Math.max(largest.costUsd, spend.costUsd);
              sized = true;
            }
            wakeAll();
          };
          return { settle: (spend) => close(spend), release: () => close(undefined) };
        }
        await new Promise<void>((resolve) => {
          const onAbort = () => resolve();
          signal?.addEventListener('abort', onAbort, { once: true });
          wake.push(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          });
        });
      }
    },
    exhausted: () => reached()?.resource,
    exhaustedError: () => {
      const limit = reached();
      return limit ? new RunBudgetExhaustedError(limit) : undefined;
    },
    usage: () => ({ ...spent, wallMs: wallMs(), inFlight: reserved.size }),
  };
}

/** The client, with every call admitted by the run's budget first and its spend settled after. */
export function budgetedModel(client: ModelClient, budget: RunBudget, options: { costOf: (usage: ModelUsage) => number }): ModelClient {
  return {
    ...client,
    async complete(request) {
      const permit = await budget.admit(request.signal);
      let turn;
      try {
        turn = await client.complete(request);
      } catch (error) {
        permit.release();
        throw error;
      }
      permit.settle({ tokens: turn.usage.inputTokens + turn.usage.outputTokens, costUsd: options.costOf(turn.usage) });
      return turn;
    },
  };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
