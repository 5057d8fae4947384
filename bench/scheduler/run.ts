// Scheduler benchmark: a seeded 100-task random DAG run by simulated workers of known
// durations at 8 workers. Prints makespan / critical path and / a combined lower bound, the
// scheduling overhead per task against a dependency-only ready scan, and the time to derive
// run state from a 10k-event run against reading the raw event rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  criticalPathLength,
  criticalPathPriorities,
  makePlan,
  openRunStore,
  simulateSchedule,
  type Plan,
  type RunEventInput,
  type Task,
} from '@baton/orchestrator';
import { formatMs, interleave, median } from '../lib/stats.ts';

const TASKS = 100;
const WORKERS = 8;
const SEEDS = Number(process.env.BENCH_SCHED_SEEDS ?? 20);
const EVENTS = 10_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDag(seed: number): { plan: Plan; durations: Map<string, number> } {
  const random = mulberry32(seed);
  const durations = new Map<string, number>();
  const specs = [];
  for (let i = 0; i < TASKS; i++) {
    const id = `t${String(i).padStart(3, '0')}`;
    const deps = new Set<string>();
    for (let k = 0; k < 3; k++) if (i > 0 && random() < 0.6) deps.add(`t${String(Math.floor(random() * i)).padStart(3, '0')}`);
    durations.set(id, 1 + Math.floor(random() * 20));
    specs.push({ id, depends_on: [...deps], write_scope: [`pkg/${id}/**`] });
  }
  return { plan: makePlan(specs), durations };
}

// --- makespan vs lower bound -------------------------------------------------------------
const ratios: number[] = [];
const cpRatios: number[] = [];

function simulateScheduleMakespan(plan: Plan, duration: (t: Task) => number): number {
  return simulateSchedule({ plan, duration, maxWorkers: WORKERS }).makespan;
}

/**
 * A valid lower bound on any schedule's makespan with WORKERS workers: the critical path; all
 * work / WORKERS; and for every task v, the earliest v can start plus the work of v and
 * everything after it spread over all workers (and the mirror image for what precedes v).
 */
function lowerBound(plan: Plan, durations: ReadonlyMap<string, number>, total: number): number {
  const tail = criticalPathPriorities(plan, (t) => durations.get(t.id)!);
  const head = new Map<string, number>();
  const ancestors = new Map<string, Set<string>>();
  for (const t of plan.tasks) {
    // Plans here list dependencies before dependents.
    let h = 0;
    const set = new Set<string>();
    for (const dep of t.depends_on) {
      h = Math.max(h, head.get(dep)! + durations.get(dep)!);
      set.add(dep);
      for (const a of ancestors.get(dep)!) set.add(a);
    }
    head.set(t.id, h);
    ancestors.set(t.id, set);
  }
  let bound = Math.max(criticalPathLength(plan, (t) => durations.get(t.id)!), total / WORKERS);
  for (const t of plan.tasks) {
    const after = plan.tasks.filter((u) => ancestors.get(u.id)!.has(t.id)).reduce((sum, u) => sum + durations.get(u.id)!, 0);
    bound = Math.max(bound, head.get(t.id)! + (durations.get(t.id)! + after) / WORKERS);
    const before = [...ancestors.get(t.id)!].reduce((sum, u) => sum + durations.get(u)!, 0);
    bound = Math.max(bound, before / WORKERS + tail.get(t.id)!);
  }
  return bound;
}
const fifoRatios: number[] = [];
let schedulerMs = 0;
let scheduleCalls = 0;
for (let seed = 1; seed <= SEEDS; seed++) {
  const { plan, durations } = randomDag(seed);
  const duration = (t: Task): number => durations.get(t.id)!;
  const total = [...durations.values()].reduce((a, b) => a + b, 0);
  const cp = criticalPathLength(plan, duration);
  const lower = lowerBound(plan, durations, total);
  cpRatios.push(simulateScheduleMakespan(plan, duration) / cp);
  const run = simulateSchedule({ plan, duration, maxWorkers: WORKERS });
  if (run.stuck.length > 0) throw new Error(`seed ${seed}: tasks never ran: ${run.stuck.join(', ')}`);
  ratios.push(run.makespan / lower);
  schedulerMs += run.schedulerMs;
  scheduleCalls += run.scheduleCalls;
  // Baseline policy: the same scheduler with plan order instead of critical path first.
  const planOrder = new Map(plan.tasks.map((t, i) => [t.id, -i]));
  fifoRatios.push(simulateSchedule({ plan, duration, maxWorkers: WORKERS, priorities: planOrder }).makespan / lower);
}

const sorted = [...ratios].sort((a, b) => a - b);
console.log(`makespan / lower bound, ${TASKS}-task random DAGs (durations 1-20), ${SEEDS} seeds, ${WORKERS} workers`);
console.log(`  vs critical path alone: median ${median(cpRatios).toFixed(3)}, worst ${Math.max(...cpRatios).toFixed(3)}, seeds <= 1.05: ${cpRatios.filter((r) => r <= 1.05).length}/${SEEDS}`);
console.log('  vs the combined bound (critical path, work/workers, per-task head+work-after and work-before+tail):');
console.log(`    critical-path priority: median ${median(ratios).toFixed(3)}, worst ${sorted.at(-1)!.toFixed(3)}, best ${sorted[0]!.toFixed(3)}, seeds <= 1.05: ${ratios.filter((r) => r <= 1.05).length}/${SEEDS}`);
console.log(`    plan-order priority (baseline policy): median ${median(fifoRatios).toFixed(3)}, worst ${Math.max(...fifoRatios).toFixed(3)}`);

// --- scheduling overhead per task ----------------------------------------------------------
const { plan: overheadPlan, durations: overheadDurations } = randomDag(7);
const overheadDuration = (t: Task): number => overheadDurations.get(t.id)!;
function readyScanBaseline(): number {
  // The least a scheduler must do per decision: scan tasks for satisfied dependencies.
  const started = performance.now();
  const done = new Set<string>();
  const running = new Set<string>();
  let calls = 0;
  while (done.size < overheadPlan.tasks.length) {
    calls++;
    const ready = overheadPlan.tasks.filter((t) => !done.has(t.id) && !running.has(t.id) && t.depends_on.every((d) => done.has(d)));
    for (const t of ready.slice(0, WORKERS - running.size)) running.add(t.id);
    const first = running.values().next().value!;
    running.delete(first);
    done.add(first);
  }
  return (performance.now() - started) / calls;
}
const perCall = await interleave(
  15,
  async () => {
    const run = simulateSchedule({ plan: overheadPlan, duration: overheadDuration, maxWorkers: WORKERS });
    return run.schedulerMs / run.scheduleCalls;
  },
  async () => readyScanBaseline(),
);
console.log(`scheduling overhead (${TASKS} tasks, ${WORKERS} workers)`);
console.log(`  scheduleTasks per decision: median ${formatMs(median(perCall.a))}; per task over the whole run: ${formatMs(schedulerMs / (SEEDS * TASKS))} (${(scheduleCalls / SEEDS).toFixed(0)} decisions per run)`);
console.log(`  dependency-only ready scan per decision: median ${formatMs(median(perCall.b))} -> ratio ${(median(perCall.a) / median(perCall.b)).toFixed(2)}x`);

// --- resume: deriving state from a 10k-event run ---------------------------------------------
const dir = mkdtempSync(path.join(tmpdir(), 'baton-bench-store-'));
try {
  const store = openRunStore({ path: path.join(dir, 'state.db') });
  const writer = await store.createRun({ runId: 'bench', ticket: 'bench', workflow: 'feature', baseCommit: 'base', maxWorkers: WORKERS });
  const { plan } = randomDag(3);
  await writer.approvePlan({ version: (await writer.proposePlan({ plan, source: 'proposed' })).version });
  // run_created, plan_proposed and plan_approved are the first three events.
  const base = Math.floor((EVENTS - 3) / TASKS);
  const extra = (EVENTS - 3) % TASKS;
  for (const [i, task] of plan.tasks.entries()) {
    const size = base + (i < extra ? 1 : 0);
    const batch: RunEventInput[] = [{ type: 'task_started', taskId: task.id, attempt: 1 }];
    for (let k = 0; batch.length < size - 3; k++) {
      batch.push(
        k % 3 === 0
          ? { type: 'task_event', taskId: task.id, attempt: 1, kind: 'model_call', model: 'anthropic:claude-haiku-4-5', usage: { inputTokens: 1200 + k, outputTokens: 300 }, costUsd: 0.002 }
          : k % 3 === 1
            ? { type: 'task_event', taskId: task.id, attempt: 1, kind: 'tool_call', name: 'read_file', durationMs: 3 }
            : { type: 'file_read', taskId: task.id, attempt: 1, path: `pkg/${task.id}/file${k}.ts` },
      );
    }
    batch.push({ type: 'diff_recorded', taskId: task.id, attempt: 1, commit: 'c'.repeat(40), files: [`pkg/${task.id}/index.ts`] });
    batch.push({ type: 'review_decided', taskId: task.id, attempt: 1, decision: 'accept', reasons: ['meets the brief'] });
    batch.push({ type: 'task_status', taskId: task.id, status: 'done' });
    await writer.appendMany(batch);
  }
  const count = (await store.events('bench')).length;
  const rawDb = new DatabaseSync(path.join(dir, 'state.db'));
  const raw = rawDb.prepare('SELECT seq, at, data FROM events WHERE run_id = ? ORDER BY seq');
  const timings = await interleave(
    15,
    async () => {
      const started = performance.now();
      const state = await store.state('bench');
      if (state.tasks['t000']?.status !== 'done') throw new Error('derived state is wrong');
      return performance.now() - started;
    },
    async () => {
      const started = performance.now();
      const rows = raw.all('bench');
      if (rows.length !== count) throw new Error('raw read is wrong');
      return performance.now() - started;
    },
  );
  console.log(`resume: state derivation for a ${count}-event run`);
  console.log(`  read + parse + reduce: median ${formatMs(median(timings.a))}; raw row read: median ${formatMs(median(timings.b))} -> ratio ${(median(timings.a) / median(timings.b)).toFixed(2)}x`);
  rawDb.close();
  await writer.release();
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
