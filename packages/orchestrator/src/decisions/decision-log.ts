// The decisions log as run state: folded from the decision events by the run's reducer. An
// entry logged while the log already holds MAX_DECISIONS entries (two writers at the same
// moment; every write path checks first) is refused here, so the log never grows past the cap
// whatever the event log holds; it stays in `refused` for the record.
import { MAX_DECISIONS, type DecisionEvent, type DecisionSource } from './decision-events.ts';

export interface DecisionEntry {
  /** Shown as D<id>; ids are never reused. */
  id: number;
  /** The seq of the event that logged it. */
  seq: number;
  text: string;
  source: DecisionSource;
  by: string;
  at: string;
  taskId?: string;
  planVersion?: number;
  /** The latest edit, when there was one. */
  edited?: { source: DecisionSource; by: string; at: string };
}

export interface DecisionLog {
  /** The entries in force, oldest first. */
  entries: DecisionEntry[];
  /** The id the last decision_logged event got (refused ones count too). */
  lastId: number;
  /** Entries logged while the log was full: not in force, not passed on. */
  refused: DecisionEntry[];
}

export function emptyDecisionLog(): DecisionLog {
  return { entries: [], lastId: 0, refused: [] };
}

/** Applies one decision event (in log order) to the log, in place. */
export function applyDecisionEvent(log: DecisionLog, event: DecisionEvent & { seq: number; at: string }): void {
  switch (event.type) {
    case 'decision_logged': {
      log.lastId += 1;
      const entry: DecisionEntry = {
        id: log.lastId,
        seq: event.seq,
        text: event.text,
        source: event.source,
        by: event.by,
        at: event.at,
        ...(event.taskId !== undefined ? { taskId: event.taskId } : {}),
        ...(event.planVersion !== undefined ? { planVersion: event.planVersion } : {}),
      };
      if (log.entries.length >= MAX_DECISIONS) log.refused.push(entry);
      else log.entries.push(entry);
      break;
    }
    case 'decision_edited': {
      const entry = log.entries.find((e) => e.id === event.decisionId);
      if (!entry) break;
      entry.text = event.text;
      entry.edited = { source: event.source, by: event.by, at: event.at };
      break;
    }
    case 'decision_removed':
      log.entries = log.entries.filter((e) => e.id !== event.decisionId);
      break;
  }
}

/** `D7` for decision 7. */
export function decisionLabel(id: number): string {
  return `D${id}`;
}
