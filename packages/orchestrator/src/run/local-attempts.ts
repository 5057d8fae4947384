// Doing one task attempt in this process: a fresh workspace from the commit the attempt starts
// from, a worker with only the task's grant, a commit of what it changed, the scope check and
// the task's tests on that commit. The same code runs in `baton run` and on a worker node; what
// it produced goes to the review gate (task-attempt.ts), here or on the orchestrator.
import type { Task } from '../plan/plan-schema.ts';
import { checkDiffScope } from '../review/scope-check.ts';
import type { AttemptWork } from './attempt-work.ts';
import type { AttemptPort, EmitEvent, TestPort, WorkerPort, WorkspacePort } from './engine-ports.ts';
import { pausePoint } from './test-pause.ts';

export interface AttemptWorkInput {
  runId: string;
  task: Task;
  attempt: number;
  brief: string;
  /** The run branch commit the attempt starts from. */
  fromCommit: string;
  protectedPaths: readonly string[];
  /** Shown in task_started, e.g. `scripted:demo-worker`. */
  modelLabel: string;
  commitMessage: string;
  emit: EmitEvent;
  signal: AbortSignal;
}

export function localAttempts(ports: { workspaces: WorkspacePort; worker: WorkerPort; tests: TestPort; node?: string }): AttemptPort {
  return {
    async work(input): Promise<AttemptWork> {
      const { task, attempt, emit, signal, runId } = input;
      const workspace = await ports.workspaces.create({ runId, task, attempt, fromCommit: input.fromCommit });
      pausePoint('task.workspace');
      emit({ type: 'task_started', taskId: task.id, attempt, branch: workspace.branch, workspace: workspace.dir, model: input.modelLabel, ...(ports.node !== undefined ? { node: ports.node } : {}) });
      try {
        // The brief is recorded as sent: what each attempt was told (decisions, findings, feedback) stays auditable.
        emit({ type: 'task_event', taskId: task.id, attempt, kind: 'message', name: 'brief', detail: input.brief });
        const worked = await ports.worker.run({ runId, task, attempt, brief: input.brief, workspace, emit, signal });
        if (worked.kind === 'cancelled' || signal.aborted) return { kind: 'cancelled' };
        if (worked.kind === 'budget_exhausted') return { kind: 'budget_exhausted', which: worked.which, scope: worked.scope };
        if (worked.kind === 'failed') return { kind: 'worker_failed', error: worked.error };
        const readOnly = task.write_scope.length === 0;
        // A read-only task's summary is its findings, which the review gate records as such.
        if (!readOnly) emit({ type: 'task_event', taskId: task.id, attempt, kind: 'message', detail: worked.summary });

        const committed = await ports.workspaces.commit({ workspace, message: input.commitMessage });
        pausePoint('task.committed');
        if (readOnly) {
          return committed ? { kind: 'read_only_changed', files: committed.changed.map((c) => c.path) } : { kind: 'reported', summary: worked.summary };
        }
        if (!committed) return { kind: 'no_changes', summary: worked.summary };
        emit({ type: 'diff_recorded', taskId: task.id, attempt, commit: committed.commit, files: committed.changed.map((c) => c.path), diff: committed.diff });
        emit({ type: 'task_status', taskId: task.id, status: 'awaiting_review' });
        const base = { kind: 'committed' as const, summary: worked.summary, commit: committed.commit, fromCommit: input.fromCommit, changed: committed.changed, diff: committed.diff };
        // Tests of a diff that strays out of scope are not worth running: the gate sends it back anyway.
        if (checkDiffScope({ changed: committed.changed, writeScope: task.write_scope, protectedPaths: input.protectedPaths }).length > 0) return base;
        const tests = await ports.tests.run({ dir: workspace.dir, suites: task.tests, signal });
        for (const r of tests) emit({ type: 'test_result', taskId: task.id, attempt, suite: r.suite, passed: r.passed, context: 'task', summary: r.summary, durationMs: r.durationMs });
        return { ...base, tests };
      } finally {
        await ports.workspaces.remove(workspace).catch(() => undefined);
      }
    },
  };
}
