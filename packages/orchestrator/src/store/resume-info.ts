// What resuming a run needs to know, read off the derived state: which tasks are finished
// (never re-run; their commits are kept), which were in flight (restart cleanly), which wait.
import { IN_FLIGHT_STATUSES, type RunState } from './run-state.ts';

export interface ResumeInfo {
  runId: string;
  finishedRun: boolean;
  /** done or skipped: not re-run. */
  finished: string[];
  /** Commits of finished tasks (task branch and run branch), kept across the restart. */
  commits: Record<string, { taskCommit?: string; mergedCommit?: string }>;
  /** Were running or under review when the process stopped; they restart from a fresh workspace. */
  inFlight: { taskId: string; attempt: number; status: string }[];
  /** pending or rework: waiting to be scheduled. */
  waiting: string[];
  failed: string[];
  blocked: string[];
  state: RunState;
}

export function resumeInfoOf(state: RunState): ResumeInfo {
  const info: ResumeInfo = { runId: state.runId, finishedRun: state.phase === 'finished', finished: [], commits: {}, inFlight: [], waiting: [], failed: [], blocked: [], state };
  for (const id of state.taskOrder) {
    const task = state.tasks[id]!;
    if (task.status === 'done' || task.status === 'skipped') info.finished.push(id);
    else if (IN_FLIGHT_STATUSES.has(task.status)) info.inFlight.push({ taskId: id, attempt: task.attempts, status: task.status });
    else if (task.status === 'failed') info.failed.push(id);
    else if (task.status === 'blocked') info.blocked.push(id);
    else info.waiting.push(id);
    if (task.status === 'done') {
      info.commits[id] = { ...(task.commit !== undefined ? { taskCommit: task.commit } : {}), ...(task.mergedCommit !== undefined ? { mergedCommit: task.mergedCommit } : {}) };
    }
  }
  return info;
}
