// Appends a pilot event (estimate, pull request, review figures, regressions) to a run without
// taking its lock: these record what people and GitHub did around a run, never steer it, and
// may arrive while the run is live (like a human's decision).
import { RunEventSchema, type RunEventInput, type RunEventOf, type StoredEvent } from '../store/run-event.ts';
import type { RunStore } from '../store/run-store.ts';
import { StoreUsageError, UnknownRunError } from '../store/store-errors.ts';
import { PILOT_EVENT_TYPES } from './pilot-events.ts';

export type PilotEventType = 'human_estimate' | 'pull_request' | 'pr_review_stats' | 'regression_check' | 'regression_found';
export type PilotEventInput = Extract<RunEventInput, { type: PilotEventType }>;

export async function recordPilotEvent(store: RunStore, runId: string, event: PilotEventInput): Promise<StoredEvent> {
  if (!PILOT_EVENT_TYPES.has(event.type)) throw new StoreUsageError(`${event.type} is not a pilot event; write it through the run's writer`);
  if (!(await store.hasRun(runId))) throw new UnknownRunError(runId);
  return (await store.write(runId, {}, [RunEventSchema.parse(event)]))[0]!;
}

/** The latest event of a type in a run's log (pilot facts are restated, the newest wins). */
export function latestEvent<T extends PilotEventType>(events: readonly StoredEvent[], type: T): (RunEventOf<T> & StoredEvent) | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.type === type) return events[i] as RunEventOf<T> & StoredEvent;
  return undefined;
}
