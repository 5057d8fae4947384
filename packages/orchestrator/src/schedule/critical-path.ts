// Critical-path priorities: a task's priority is the longest chain of work from its start to
// the end of the plan (its own duration included). Starting the longest chains first keeps
// list scheduling close to the critical-path lower bound.
import type { Plan, Task } from '../plan/plan-schema.ts';

export type TaskDuration = (task: Task) => number;

const unit: TaskDuration = () => 1;

/** Longest remaining path per task id (cycles and unknown deps must be validated away first). */
export function criticalPathPriorities(plan: Plan, duration: TaskDuration = unit): Map<string, number> {
  const dependents = new Map<string, Task[]>();
  for (const task of plan.tasks) for (const dep of task.depends_on) dependents.set(dep, [...(dependents.get(dep) ?? []), task]);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const tail = (task: Task): number => {
    const known = memo.get(task.id);
    if (known !== undefined) return known;
    if (visiting.has(task.id)) throw new Error(`dependency cycle through task "${task.id}"; validate the plan before scheduling it`);
    visiting.add(task.id);
    let longest = 0;
    for (const next of dependents.get(task.id) ?? []) longest = Math.max(longest, tail(next));
    visiting.delete(task.id);
    const value = duration(task) + longest;
    memo.set(task.id, value);
    return value;
  };
  for (const task of plan.tasks) tail(task);
  return memo;
}

/** The length of the longest dependency chain: no schedule can finish faster. */
export function criticalPathLength(plan: Plan, duration: TaskDuration = unit): number {
  let longest = 0;
  for (const value of criticalPathPriorities(plan, duration).values()) longest = Math.max(longest, value);
  return longest;
}
