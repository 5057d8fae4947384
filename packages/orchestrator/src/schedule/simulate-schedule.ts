// Runs the real scheduler against simulated workers of known durations: the plan estimate
// uses it for wall time, tests and the benchmark use it to check the schedules it makes.
import type { Plan, TaskStatus } from '../plan/plan-schema.ts';
import type { TaskDuration } from './critical-path.ts';
import { criticalPathPriorities } from './critical-path.ts';
import { scheduleTasks } from './schedule-tasks.ts';

export interface SimulatedRun {
  makespan: number;
  /** Start and end time of each task. */
  timeline: Map<string, { start: number; end: number }>;
  /** Most tasks running at once. */
  peakParallelism: number;
  scheduleCalls: number;
  /** Time spent inside scheduleTasks (ms, wall clock). */
  schedulerMs: number;
  /** Tasks that never ran (stuck behind approvals or failed gates). */
  stuck: string[];
}

export function simulateSchedule(input: {
  plan: Plan;
  duration: TaskDuration;
  maxWorkers: number;
  phaseGates?: boolean;
  approveAll?: boolean;
  /** Defaults to critical-path priorities with the given durations. */
  priorities?: ReadonlyMap<string, number>;
}): SimulatedRun {
  const { plan } = input;
  const priorities = input.priorities ?? criticalPathPriorities(plan, input.duration);
  const tasks: Record<string, { status: TaskStatus; approval?: 'approve' }> = {};
  for (const t of plan.tasks) tasks[t.id] = { status: 'pending', ...(input.approveAll ? { approval: 'approve' as const } : {}) };
  const gates: Record<number, { passed: boolean }> = {};
  const state = { tasks, gates };
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const running = new Map<string, number>();
  const timeline = new Map<string, { start: number; end: number }>();
  let now = 0;
  let peak = 0;
  let calls = 0;
  let schedulerMs = 0;
  for (;;) {
    const began = performance.now();
    const decision = scheduleTasks({
      plan,
      state,
      maxWorkers: input.maxWorkers,
      running: new Set(running.keys()),
      priorities,
      ...(input.phaseGates !== undefined ? { phaseGates: input.phaseGates } : {}),
    });
    schedulerMs += performance.now() - began;
    calls++;
    for (const phase of decision.gatesDue) gates[phase] = { passed: true };
    for (const id of decision.start) {
      const task = byId.get(id)!;
      tasks[id]!.status = 'in_progress';
      running.set(id, now + input.duration(task));
      timeline.set(id, { start: now, end: now + input.duration(task) });
    }
    peak = Math.max(peak, running.size);
    if (running.size === 0) {
      if (decision.gatesDue.length > 0) continue;
      break;
    }
    now = Math.min(...running.values());
    for (const [id, end] of running) {
      if (end <= now) {
        running.delete(id);
        tasks[id]!.status = 'done';
      }
    }
  }
  const stuck = plan.tasks.filter((t) => tasks[t.id]!.status !== 'done').map((t) => t.id);
  return { makespan: now, timeline, peakParallelism: peak, scheduleCalls: calls, schedulerMs, stuck };
}
