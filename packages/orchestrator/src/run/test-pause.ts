// A hook for crash tests, not a feature. With BATON_TEST_PAUSE_AT=<point>[#<n>] in its
// environment, baton freezes the n-th time (default the first) it reaches the named point:
// it writes the point's name to the file BATON_TEST_PAUSE_READY names, then blocks its whole
// event loop, so nothing more happens until it is killed. A test can so kill a run exactly
// between two steps, without sleeping. Without the variable, pausePoint() does nothing.
import { writeFileSync } from 'node:fs';

/** The points baton can be paused at, in the order a run reaches them. */
export const PAUSE_POINTS = [
  /** Planning: the run and its branch exist, the planner has not been asked yet. */
  'plan.model',
  /** The planner's decisions are logged; its plan is not stored yet. */
  'plan.decisions',
  /** The plan is stored; with --yes it is about to be approved. */
  'plan.proposed',
  /** A task's workspace exists; task_started is not recorded yet. */
  'task.workspace',
  /** The worker's changes are committed on the task branch; diff_recorded is not recorded yet. */
  'task.committed',
  /** An accepted task is on the run branch; its tests after the merge and merge_result are not done yet. */
  'integrate.merged',
  /** run_finished is recorded; the run's checkouts and task branches are not cleaned up yet. */
  'run.finished',
] as const;
export type PausePoint = (typeof PAUSE_POINTS)[number];

const wanted = /^([a-z.]+)(?:#(\d+))?$/.exec(process.env['BATON_TEST_PAUSE_AT'] ?? '');
const readyFile = process.env['BATON_TEST_PAUSE_READY'];
let reached = 0;

export function pausePoint(point: PausePoint): void {
  if (!wanted || wanted[1] !== point || !readyFile) return;
  reached += 1;
  if (reached !== Number(wanted[2] ?? '1')) return;
  writeFileSync(readyFile, `${point}\n`);
  // Blocks this thread for good: timers, I/O callbacks and children's exits all wait with it.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
