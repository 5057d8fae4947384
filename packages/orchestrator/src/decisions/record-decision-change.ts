// A person's change to a run's decisions log, appended without the run's lock: people add,
// edit and remove decisions while a run is live (like their answers to escalations), and the
// engine reads the log afresh for every brief it writes.
import { RunEventSchema, type StoredEvent } from '../store/run-event.ts';
import type { RunStore } from '../store/run-store.ts';
import { UnknownRunError } from '../store/store-errors.ts';
import { decisionChangeEvent, decisionLogFullMessage, DecisionLogError, type DecisionChange } from './decision-change.ts';
import type { DecisionEntry, DecisionLog } from './decision-log.ts';

export interface RecordedDecisionChange {
  event: StoredEvent;
  /** The entry as it is now (absent after a removal). */
  entry?: DecisionEntry;
  log: DecisionLog;
}

export async function recordDecisionChange(store: RunStore, runId: string, change: DecisionChange): Promise<RecordedDecisionChange> {
  if (!(await store.hasRun(runId))) throw new UnknownRunError(runId);
  const event = decisionChangeEvent({ runId, log: (await store.state(runId)).decisions, change });
  const stored = (await store.write(runId, {}, [RunEventSchema.parse(event)]))[0]!;
  const log = (await store.state(runId)).decisions;
  if (change.action === 'add') {
    const entry = log.entries.find((e) => e.seq === stored.seq);
    // Another writer filled the log between the check and the append: the reducer refused this one.
    if (!entry) throw new DecisionLogError(`${decisionLogFullMessage(runId)} (it filled up while this one was being added; it was not added)`);
    return { event: stored, entry, log };
  }
  const entry = change.action === 'edit' ? log.entries.find((e) => e.id === change.id) : undefined;
  return { event: stored, ...(entry ? { entry } : {}), log };
}
