// The decisions a reviewer asked to log when it accepted a task's work, as the events that log
// them once the work is done (merged, or findings accepted): logged then, and only then, so a
// merge undone by failing tests and accepted again later logs nothing twice. What cannot be
// logged (too long, the log full) is reported on the task instead, never dropped silently.
import type { RunEventInput } from '../store/run-event.ts';
import type { RunState } from '../store/run-state.ts';
import { decisionChangeEvent, DecisionLogError } from './decision-change.ts';
import type { DecisionLog } from './decision-log.ts';

export function reviewerDecisionEvents({ state, taskId, attempt }: { state: RunState; taskId: string; attempt: number }): RunEventInput[] {
  const review = state.tasks[taskId]?.lastReview;
  if (!review || review.decision !== 'accept' || review.attempt !== attempt || !review.decisions?.length) return [];
  // A copy that grows as entries are added, so the cap counts this batch too.
  const log: DecisionLog = { ...state.decisions, entries: [...state.decisions.entries] };
  const events: RunEventInput[] = [];
  for (const text of review.decisions) {
    try {
      const event = decisionChangeEvent({ runId: state.runId, log, change: { action: 'add', text, source: 'reviewer', by: 'reviewer', taskId } });
      events.push(event);
      log.entries.push({ id: 0, seq: 0, text, source: 'reviewer', by: 'reviewer', at: '' });
    } catch (error) {
      if (!(error instanceof DecisionLogError)) throw error;
      events.push({ type: 'task_event', taskId, attempt, kind: 'error', name: 'decision_not_logged', isError: true, detail: `the reviewer's decision ${JSON.stringify(text.slice(0, 200))} was not logged: ${error.message}` });
    }
  }
  return events;
}
