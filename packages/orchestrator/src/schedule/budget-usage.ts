// What a run has spent, read off its events, for budgets that hold across processes: wall time
// counts only the time baton worked on the run (planning, and executing after an approval or a
// resume), not the time it waited for a human or lay dead after a crash; and the largest single
// model call seen, from which the shared run budget sizes the calls it lets run at once.
import type { RunEvent } from '../store/run-event.ts';

type TimedEvent = RunEvent & { at: string };

/** Events that begin a stretch of work: the run's creation (planning), a plan approval, a resume. */
const SESSION_STARTS = new Set<RunEvent['type']>(['run_created', 'plan_approved', 'run_resumed']);

/**
 * Wall time of the run's working stretches so far: each runs from its start event to the last
 * event before the next start. (The stretch in progress counts up to its last event; the caller
 * adds its own time since then.)
 */
export function wallTimeUsedMs(events: readonly TimedEvent[]): number {
  let total = 0;
  let start: number | undefined;
  let last: number | undefined;
  for (const event of events) {
    const at = Date.parse(event.at);
    if (SESSION_STARTS.has(event.type)) {
      if (start !== undefined && last !== undefined) total += Math.max(0, last - start);
      start = at;
    }
    last = at;
  }
  if (start !== undefined && last !== undefined) total += Math.max(0, last - start);
  return total;
}

/** The largest single model call recorded (tokens and cost, each its own maximum), or undefined before any. */
export function largestModelCall(events: readonly RunEvent[]): { tokens: number; costUsd: number } | undefined {
  let largest: { tokens: number; costUsd: number } | undefined;
  const see = (tokens: number, costUsd: number) => {
    largest = { tokens: Math.max(largest?.tokens ?? 0, tokens), costUsd: Math.max(largest?.costUsd ?? 0, costUsd) };
  };
  for (const event of events) {
    if (event.type === 'task_event' && event.kind === 'model_call' && event.usage) see(event.usage.inputTokens + event.usage.outputTokens, event.costUsd ?? 0);
    // Planner usage is recorded per planning, not per call: its average call stands for each.
    if (event.type === 'model_usage') see(Math.ceil((event.usage.inputTokens + event.usage.outputTokens) / event.calls), event.costUsd / event.calls);
  }
  return largest;
}
