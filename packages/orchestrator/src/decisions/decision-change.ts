// A change someone asks of a run's decisions log (add, edit, remove), checked against the log
// as it is and turned into the event that records it. Every write path goes through here, so
// each one refuses the same things with the same message: empty or multi-line text, text past
// MAX_DECISION_CHARS, a full log, an entry that is not (or no longer) in it.
import { UsageError } from '@baton/mcp-tools';
import { decisionTextProblem, MAX_DECISIONS, type DecisionEventInput, type DecisionSource } from './decision-events.ts';
import { decisionLabel, type DecisionLog } from './decision-log.ts';

export type DecisionChange =
  | { action: 'add'; text: string; source: DecisionSource; by: string; taskId?: string; planVersion?: number }
  | { action: 'edit'; id: number; text: string; source: DecisionSource; by: string }
  | { action: 'remove'; id: number; source: DecisionSource; by: string; reason?: string };

/** The change cannot be made: the message says what to do instead. The asker's to fix. */
export class DecisionLogError extends UsageError {
  override name = 'DecisionLogError';
}

/** How many more entries the log takes. */
export function decisionRoom(log: DecisionLog): number {
  return Math.max(0, MAX_DECISIONS - log.entries.length);
}

/** The full-log message, for every writer that meets it. */
export function decisionLogFullMessage(runId: string): string {
  return `the decisions log of run ${runId} holds ${MAX_DECISIONS} entries, its maximum: remove one that no longer matters (baton decisions ${runId} remove <id>) or fold two into one (edit) first`;
}

/** `7`, `D7` or `d7` as decision 7; anything else is a usage error. */
export function parseDecisionId(text: string): number {
  const match = /^[Dd]?([1-9][0-9]{0,8})$/.exec(text.trim());
  if (!match) throw new DecisionLogError(`${JSON.stringify(text)} is not a decision id; ids look like D3 (see baton decisions <run>)`);
  return Number(match[1]);
}

/** The event that records the change, or a DecisionLogError saying why it cannot be made. */
export function decisionChangeEvent({ runId, log, change }: { runId: string; log: DecisionLog; change: DecisionChange }): DecisionEventInput {
  if (change.action === 'add') {
    const text = checkedText(change.text);
    if (decisionRoom(log) === 0) throw new DecisionLogError(decisionLogFullMessage(runId));
    return {
      type: 'decision_logged',
      text,
      source: change.source,
      by: change.by,
      ...(change.taskId !== undefined ? { taskId: change.taskId } : {}),
      ...(change.planVersion !== undefined ? { planVersion: change.planVersion } : {}),
    };
  }
  if (!log.entries.some((e) => e.id === change.id)) {
    const ids = log.entries.map((e) => decisionLabel(e.id));
    throw new DecisionLogError(`run ${runId} has no decision ${decisionLabel(change.id)}${ids.length ? `; its decisions are ${ids.join(', ')}` : '; its decisions log is empty'}`);
  }
  if (change.action === 'edit') return { type: 'decision_edited', decisionId: change.id, text: checkedText(change.text), source: change.source, by: change.by };
  return { type: 'decision_removed', decisionId: change.id, source: change.source, by: change.by, ...(change.reason !== undefined ? { reason: change.reason } : {}) };
}

function checkedText(text: string): string {
  const trimmed = text.trim();
  const problem = decisionTextProblem(trimmed);
  if (problem !== undefined) throw new DecisionLogError(problem);
  return trimmed;
}
