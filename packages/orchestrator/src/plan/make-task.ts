// Builds plans and tasks from a few fields, filling in the schema's defaults. For tests,
// benchmarks and scripted planners.
import { PlanSchema, TaskSchema, type Plan, type Task, type TaskInput } from './plan-schema.ts';

export function makeTask(input: Partial<TaskInput> & { id: string }): Task {
  return TaskSchema.parse({ title: input.id, type: 'implementation', brief: `do ${input.id}`, ...input });
}

export function makePlan(tasks: readonly (Partial<TaskInput> & { id: string })[], input: Partial<Omit<Plan, 'tasks'>> = {}): Plan {
  return PlanSchema.parse({ ticket: 'ticket', summary: 'summary', workflow: 'feature', ...input, tasks: tasks.map(makeTask) });
}
