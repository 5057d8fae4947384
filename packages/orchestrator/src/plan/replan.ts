// Re-planning during a run: a new plan may change, add or drop only tasks that have not
// happened yet (pending) or went wrong (failed, blocked). Everything else is kept exactly,
// so finished work is never redone and running work is never pulled from under a worker.
// A proposal may leave kept tasks out; they stay as they were.
import type { Plan, Task, TaskStatus } from './plan-schema.ts';
import { validatePlan, type PlanProblem, type ValidatePlanOptions } from './validate-plan.ts';

export const REPLANNABLE: ReadonlySet<TaskStatus> = new Set(['pending', 'failed', 'blocked']);

export interface ReplanResult {
  ok: boolean;
  /** The merged plan (kept tasks verbatim, replannable ones from the proposal, reset to pending). */
  plan: Plan;
  errors: PlanProblem[];
  warnings: PlanProblem[];
  changes: { added: string[]; changed: string[]; removed: string[]; kept: string[] };
}

function sameTask(a: Task, b: Task): boolean {
  const strip = (t: Task): string => JSON.stringify({ ...t, status: undefined });
  return strip(a) === strip(b);
}

export function mergeReplan(
  input: {
    current: Plan;
    /** Current status per task id (e.g. from RunState.tasks); missing means pending. */
    statuses: Readonly<Record<string, { status: TaskStatus } | undefined>>;
    proposed: Plan;
  } & ValidatePlanOptions,
): ReplanResult {
  const statusOf = (id: string): TaskStatus => input.statuses[id]?.status ?? 'pending';
  const proposedById = new Map(input.proposed.tasks.map((t, i) => [t.id, { task: t, index: i }]));
  const currentIds = new Set(input.current.tasks.map((t) => t.id));
  const errors: PlanProblem[] = [];
  const changes: ReplanResult['changes'] = { added: [], changed: [], removed: [], kept: [] };
  const tasks: Task[] = [];

  for (const task of input.current.tasks) {
    const status = statusOf(task.id);
    const proposal = proposedById.get(task.id);
    if (!REPLANNABLE.has(status)) {
      tasks.push({ ...task, status });
      changes.kept.push(task.id);
      // Left out of the proposal is fine (it is kept); changing it is not.
      if (proposal && !sameTask(proposal.task, task)) {
        errors.push({ path: `tasks[${proposal.index}]`, code: 'locked_task_changed', message: `task "${task.id}" is ${status}; only pending, failed or blocked tasks may change` });
      }
      continue;
    }
    if (!proposal) {
      changes.removed.push(task.id);
      continue;
    }
    tasks.push({ ...proposal.task, status: 'pending' });
    if (sameTask(proposal.task, task) && status === 'pending') changes.kept.push(task.id);
    else changes.changed.push(task.id);
  }
  for (const task of input.proposed.tasks) {
    if (currentIds.has(task.id)) continue;
    tasks.push({ ...task, status: 'pending' });
    changes.added.push(task.id);
  }

  const plan: Plan = { ...input.proposed, ticket: input.current.ticket, workflow: input.current.workflow, tasks };
  const validation = validatePlan(plan, input.knownTests ? { knownTests: input.knownTests } : {});
  const allErrors = [...errors, ...validation.errors];
  return { ok: allErrors.length === 0, plan: validation.plan ?? plan, errors: allErrors, warnings: validation.warnings, changes };
}
