// One readable line per stored event, for `baton log` and the live view's plain mode.
import type { StoredEvent } from '../store/run-event.ts';
import { decisionLabel } from '../decisions/decision-log.ts';
import { pilotEventDetail } from '../report/pilot-event-detail.ts';
import type { Style } from './style.ts';
import { terminalText } from './terminal-text.ts';

/** Worker-controlled parts (paths, messages, reasons, tool arguments) show hidden characters as markers. */
export function formatEvent(event: StoredEvent, style: Style): string {
  const time = event.at.slice(11, 19);
  const task = 'taskId' in event && event.taskId ? ` ${style.bold(terminalText(event.taskId, style))}` : '';
  return `${style.dim(`${String(event.seq).padStart(4)} ${time}`)} ${event.type}${task} ${terminalText(detail(event), style)}`.trimEnd();
}

function detail(event: StoredEvent): string {
  switch (event.type) {
    case 'run_created':
      return `${event.workflow} from ${event.baseCommit.slice(0, 10)}: ${oneLine(event.ticket)}`;
    case 'plan_proposed':
    case 'plan_edited':
      return `v${event.version} by ${event.by}: ${event.plan.tasks.length} tasks${event.warnings.length ? `, ${event.warnings.length} warning(s)` : ''}`;
    case 'plan_invalid':
      return `attempt ${event.attempt}: ${event.problems.slice(0, 3).join('; ')}`;
    case 'plan_approved':
      return `v${event.version} by ${event.by}`;
    case 'task_started':
      return `attempt ${event.attempt}${event.model ? ` (${event.model})` : ''}${event.node ? ` on node ${event.node}` : ''}`;
    case 'task_dispatched':
      return `attempt ${event.attempt} queued for worker nodes (job ${event.jobId.slice(0, 8)}, from ${event.fromCommit.slice(0, 10)})`;
    case 'task_claimed':
      return `attempt ${event.attempt} taken by node ${event.node}${event.previousNode ? ` (after ${event.previousNode} lost it)` : ''}`;
    case 'attempt_finished':
      return `attempt ${event.attempt} on node ${event.node}: ${event.outcome.kind}${event.outcome.kind === 'committed' ? ` ${event.outcome.commit.slice(0, 10)}` : ''}`;
    case 'task_event':
      return [event.kind, event.name, event.usage ? `${event.usage.inputTokens}+${event.usage.outputTokens} tok` : '', event.isError ? 'ERROR' : '', event.detail ? oneLine(event.detail) : ''].filter(Boolean).join(' ');
    case 'file_read':
    case 'file_written':
      return event.path;
    case 'diff_recorded':
      return `${event.commit.slice(0, 10)} ${event.files.join(', ')}`;
    case 'test_result':
      return `${event.context} ${event.suite} ${event.passed ? 'passed' : 'FAILED'}${event.summary ? `: ${oneLine(event.summary)}` : ''}`;
    case 'findings_reported':
      return `attempt ${event.attempt}: ${oneLine(event.findings)}`;
    case 'decision_logged':
      return `by ${event.by === event.source ? event.source : `${event.source} ${event.by}`}${event.taskId ? ` with ${event.taskId}` : ''}: ${event.text}`;
    case 'decision_edited':
      return `${decisionLabel(event.decisionId)} by ${event.by}: ${event.text}`;
    case 'decision_removed':
      return `${decisionLabel(event.decisionId)} by ${event.by}${event.reason ? `: ${oneLine(event.reason)}` : ''}`;
    case 'review_decided':
      return `${event.decision}${event.feedback ? `: ${oneLine(event.feedback)}` : event.reasons.length ? `: ${event.reasons.join('; ')}` : ''}`;
    case 'task_status':
      return `${event.status}${event.reason ? `: ${oneLine(event.reason)}` : ''}`;
    case 'merge_result':
      return event.ok ? `merged ${event.commit?.slice(0, 10) ?? ''} (${event.resolvedBy ?? 'clean'})` : `NOT merged${event.conflictFiles.length ? `: conflict in ${event.conflictFiles.join(', ')}` : ''}`;
    case 'gate_result':
      return `phase ${event.phase} ${event.passed ? 'passed' : 'FAILED'}`;
    case 'escalation_raised':
      return `${event.escalationId}: ${oneLine(event.reason)}`;
    case 'human_decision':
      return `${event.decision}${event.escalationId ? ` on ${event.escalationId}` : ''} by ${event.by}${event.note ? `: ${oneLine(event.note)}` : ''}`;
    case 'model_usage':
      return `${event.role} ${event.model}: ${event.calls} call(s), ${event.usage.inputTokens}+${event.usage.outputTokens} tok`;
    case 'budget':
      return `${event.level} ${event.resource} ${event.used}/${event.limit}`;
    case 'run_resumed':
      return `pid ${event.pid}${event.interruptedTasks.length ? `, restarting ${event.interruptedTasks.join(', ')}` : ''}`;
    case 'run_finished':
      return `${event.outcome}${event.branch ? ` ${event.branch}` : ''}${event.summary ? `: ${oneLine(event.summary)}` : ''}`;
    default:
      return pilotEventDetail(event);
  }
}

function oneLine(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
