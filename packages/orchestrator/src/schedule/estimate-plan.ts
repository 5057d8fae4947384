// A rough cost and time estimate shown with the plan before a human approves it: tokens and
// minutes per task by type, wall time from simulating the scheduler with the run's workers.
import type { Plan, TaskType } from '../plan/plan-schema.ts';
import { criticalPathLength } from './critical-path.ts';
import { simulateSchedule } from './simulate-schedule.ts';

export const DEFAULT_TASK_TOKENS: Readonly<Record<TaskType, number>> = {
  analysis: 80_000,
  implementation: 160_000,
  tests: 120_000,
  docs: 50_000,
  migration: 140_000,
  refactor: 160_000,
  config: 40_000,
  merge: 100_000,
  review: 40_000,
};

export const DEFAULT_TASK_MINUTES: Readonly<Record<TaskType, number>> = {
  analysis: 3,
  implementation: 6,
  tests: 5,
  docs: 2,
  migration: 5,
  refactor: 6,
  config: 2,
  merge: 4,
  review: 2,
};

export interface PlanEstimate {
  tasks: number;
  tokens: number;
  /** Only when a price per million tokens is given. */
  usd?: number;
  /** Simulated wall time with maxWorkers workers (review and merge time included per task). */
  wallSeconds: number;
  /** No number of workers can beat this. */
  criticalPathSeconds: number;
  byType: Partial<Record<TaskType, { tasks: number; tokens: number }>>;
}

export function estimatePlan(
  plan: Plan,
  options: {
    maxWorkers: number;
    tokensPerTask?: Partial<Record<TaskType, number>>;
    minutesPerTask?: Partial<Record<TaskType, number>>;
    /** Blended price per million tokens. */
    usdPerMillionTokens?: number;
  },
): PlanEstimate {
  const tokensOf = (type: TaskType): number => options.tokensPerTask?.[type] ?? DEFAULT_TASK_TOKENS[type];
  const seconds = (type: TaskType): number => 60 * (options.minutesPerTask?.[type] ?? DEFAULT_TASK_MINUTES[type]);
  const byType: PlanEstimate['byType'] = {};
  let tokens = 0;
  for (const task of plan.tasks) {
    const entry = (byType[task.type] ??= { tasks: 0, tokens: 0 });
    entry.tasks++;
    entry.tokens += tokensOf(task.type);
    tokens += tokensOf(task.type);
  }
  const duration = (t: { type: TaskType }): number => seconds(t.type);
  const simulated = simulateSchedule({ plan, duration, maxWorkers: options.maxWorkers, approveAll: true });
  return {
    tasks: plan.tasks.length,
    tokens,
    ...(options.usdPerMillionTokens !== undefined ? { usd: Math.round((tokens / 1e6) * options.usdPerMillionTokens * 100) / 100 } : {}),
    wallSeconds: simulated.makespan,
    criticalPathSeconds: criticalPathLength(plan, duration),
    byType,
  };
}
