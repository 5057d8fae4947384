// Scale-out benchmark: one 48-task plan (8 independent chains of 6 tasks) run with scripted
// models whose turns take as long as a real model's (`delay_ms`), on 1 worker node and on 4,
// each node a separate `baton node` process with its own work dir, sharing only a real
// PostgreSQL (the store and the job queue) and a git remote served by `git daemon`. Reports each
// run's makespan against its lower bound (the longer of the critical path and the total work
// spread over every slot), dispatch latency from ready to started (p50/p99), and the store's
// write throughput, during the runs and flat out, against SQLite as the baseline.
//
//   node bench/scale-out/run.ts           BATON_BENCH_TURN_MS=4000 (a model turn), BATON_BENCH_NODE_SLOTS=2 (tasks per node)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRunStore, openStore, type StoredEvent } from '@baton/orchestrator';
import { makeBareRemote, startGitDaemon, startPostgresServer, type GitDaemon, type PostgresServer } from '@baton/orchestrator/testing';

const here = path.dirname(fileURLToPath(import.meta.url));
const BATON_BIN = path.join(here, '..', '..', 'packages', 'orchestrator', 'bin', 'baton.js');
const TURN_MS = Number(process.env['BATON_BENCH_TURN_MS'] ?? 4000);
const SLOTS = Number(process.env['BATON_BENCH_NODE_SLOTS'] ?? 2);
const CHAINS = 8;
const CHAIN_LENGTH = 6;
const TASKS = CHAINS * CHAIN_LENGTH;
/** Model turns per task that take TURN_MS (a read, then the edit); the closing turn answers at once. */
const SLOW_TURNS = 2;
const TASK_MODEL_MS = SLOW_TURNS * TURN_MS;
const QUEUE_ENV = { BATON_QUEUE_SUPERVISE_SECONDS: '1', BATON_QUEUE_HEARTBEAT_SECONDS: '10' };

const taskId = (chain: number, step: number) => `c${chain}s${step}`;

function scripts(dir: string): { planner: string; worker: string; reviewer: string } {
  const tasks = [];
  for (let chain = 0; chain < CHAINS; chain++) {
    for (let step = 0; step < CHAIN_LENGTH; step++) {
      const id = taskId(chain, step);
      tasks.push({
        id,
        title: `Step ${step} of chain ${chain}`,
        type: 'implementation',
        role: 'worker',
        phase: 1,
        depends_on: step === 0 ? [] : [taskId(chain, step - 1)],
        brief: `Write src/${id}.txt.`,
        read_scope: ['**'],
        write_scope: [`src/${id}.txt`],
        tests: [],
        acceptance: [`src/${id}.txt exists`],
      });
    }
  }
  const planner = { label: 'bench-planner', turns: [{ tool_calls: [{ name: 'submit_plan', arguments: { ticket: 'bench', summary: `${TASKS} tasks in ${CHAINS} chains`, workflow: 'feature', tasks } }] }] };
  const byTask: Record<string, unknown[]> = {};
  for (const task of tasks) {
    byTask[task.id] = [
      { text: 'Reading the README.', delay_ms: TURN_MS, tool_calls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
      { text: 'Writing the file.', delay_ms: TURN_MS, tool_calls: [{ name: 'apply_diff', arguments: { patch: `--- /dev/null\n+++ b/src/${task.id}.txt\n@@ -0,0 +1 @@\n+${task.id}\n` } }] },
      { text: `Wrote src/${task.id}.txt.` },
    ];
  }
  const worker = { label: 'bench-worker', by_task: byTask };
  const reviewer = { label: 'bench-reviewer', turns: [{ tool_calls: [{ name: 'submit_review', arguments: { decision: 'accept', reasons: ['as asked'] } }] }] };
  const write = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(value, null, 1)); // JSON is YAML
    return file;
  };
  return { planner: write('planner.yaml', planner), worker: write('worker.yaml', worker), reviewer: write('reviewer.yaml', reviewer) };
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

function makeRepo(dir: string): void {
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'README.md'), '# bench\n');
  writeFileSync(path.join(dir, 'src', '.keep'), '');
  writeFileSync(path.join(dir, 'baton.config.json'), JSON.stringify({ maxWorkers: CHAINS, tests: {}, budgets: { perTaskTurns: 10 } }, null, 2));
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['-c', 'user.name=b', '-c', 'user.email=b@b', 'add', '-A']);
  git(dir, ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'bench repo']);
}

function spawnBaton(args: string[], cwd: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BATON_BIN, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function exited(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface RunFigures {
  nodes: number;
  makespanMs: number;
  boundMs: number;
  readyToStarted: number[];
  readyToClaimed: number[];
  events: number;
}

async function runOn(nodes: number, input: { server: PostgresServer; daemon: GitDaemon; work: string; scripts: ReturnType<typeof scripts> }): Promise<RunFigures> {
  const runId = `bench-${nodes}-nodes`;
  const storeUrl = await input.server.createDatabase(`bench_${nodes}`);
  const repo = path.join(input.work, `repo-${nodes}`);
  makeRepo(repo);
  makeBareRemote(path.join(input.work, 'remotes'), `bench-${nodes}.git`, repo);
  git(repo, ['remote', 'add', 'origin', input.daemon.url(`bench-${nodes}.git`)]);
  const workers = Array.from({ length: nodes }, (_, i) => {
    const workDir = path.join(input.work, `node-${nodes}-${i}`);
    mkdirSync(workDir, { recursive: true });
    const child = spawnBaton(['node', '--store', storeUrl, '--name', `node-${i}`, '--work-dir', workDir, '--concurrency', String(SLOTS)], workDir, QUEUE_ENV);
    return { child, done: exited(child) };
  });
  try {
    const orchestrator = spawnBaton(['run', 'bench', '--repo', repo, '--yes', '--run-id', runId, '--store', storeUrl, '--on-nodes', '--max-workers', String(CHAINS), '--planner', `scripted:${input.scripts.planner}`, '--worker', `scripted:${input.scripts.worker}`, '--reviewer', `scripted:${input.scripts.reviewer}`], repo, QUEUE_ENV);
    const result = await exited(orchestrator);
    if (result.code !== 0) throw new Error(`the run on ${nodes} node(s) ended with ${result.code}:\n${result.output}`);
  } finally {
    for (const w of workers) {
      try {
        process.kill(-w.child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await w.done;
    }
  }
  const store = await openStore({ location: storeUrl });
  try {
    const events = await store.events(runId);
    return { nodes, ...figures(events), boundMs: Math.max(CHAIN_LENGTH * TASK_MODEL_MS, (TASKS * TASK_MODEL_MS) / (nodes * SLOTS)), events: events.length };
  } finally {
    await store.close();
  }
}

/** Makespan from the first dispatch to the end; each task's wait from ready (its dependency merged, or the start) to started. */
function figures(events: StoredEvent[]): Pick<RunFigures, 'makespanMs' | 'readyToStarted' | 'readyToClaimed'> {
  const at = (e: StoredEvent) => Date.parse(e.at);
  const start = at(events.find((e) => e.type === 'task_dispatched')!);
  const end = at(events.find((e) => e.type === 'run_finished')!);
  const merged = new Map<string, number>();
  const started = new Map<string, number>();
  const claimed = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'merge_result' && e.ok) merged.set(e.taskId, at(e));
    if (e.type === 'task_started' && !started.has(e.taskId)) started.set(e.taskId, at(e));
    if (e.type === 'task_claimed' && !claimed.has(e.taskId)) claimed.set(e.taskId, at(e));
  }
  const readyToStarted: number[] = [];
  const readyToClaimed: number[] = [];
  for (let chain = 0; chain < CHAINS; chain++) {
    for (let step = 0; step < CHAIN_LENGTH; step++) {
      const id = taskId(chain, step);
      const ready = step === 0 ? start : merged.get(taskId(chain, step - 1))!;
      readyToStarted.push(started.get(id)! - ready);
      readyToClaimed.push(claimed.get(id)! - ready);
    }
  }
  return { makespanMs: end - start, readyToStarted, readyToClaimed };
}

/** Events per second that `writers` concurrent writers (each a run of its own, queueing as fast as it can) get stored. */
async function writeThroughput(open: () => Promise<import('@baton/orchestrator').RunStore>, writers: number, perWriter: number): Promise<number> {
  const stores = await Promise.all(Array.from({ length: writers }, () => open()));
  try {
    const started = performance.now();
    await Promise.all(
      stores.map(async (store, i) => {
        const writer = await store.createRun({ runId: `w${i}-${Math.random().toString(36).slice(2, 8)}`, ticket: 't', workflow: 'feature', baseCommit: 'b', maxWorkers: 1 });
        for (let n = 0; n < perWriter; n++) writer.enqueue({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'tool_call', name: 'read_file', durationMs: 1 });
        await writer.flush();
        await writer.release();
      }),
    );
    return (writers * perWriter) / ((performance.now() - started) / 1000);
  } finally {
    for (const store of stores) await store.close();
  }
}

/** Same, one append awaited at a time (a writer that needs each event stored before going on). */
async function awaitedThroughput(open: () => Promise<import('@baton/orchestrator').RunStore>, count: number): Promise<number> {
  const store = await open();
  try {
    const writer = await store.createRun({ runId: `a-${Math.random().toString(36).slice(2, 8)}`, ticket: 't', workflow: 'feature', baseCommit: 'b', maxWorkers: 1 });
    const started = performance.now();
    for (let n = 0; n < count; n++) await writer.append({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'tool_call', name: 'read_file', durationMs: 1 });
    const rate = count / ((performance.now() - started) / 1000);
    await writer.release();
    return rate;
  } finally {
    await store.close();
  }
}

const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

const work = mkdtempSync(path.join(tmpdir(), 'baton-bench-scale-'));
let server: PostgresServer | undefined;
let daemon: GitDaemon | undefined;
try {
  server = await startPostgresServer();
  daemon = await startGitDaemon(path.join(work, 'remotes'));
  const s = scripts(work);
  console.log(`scale-out: ${TASKS} tasks (${CHAINS} chains of ${CHAIN_LENGTH}), ${SLOW_TURNS} model turns of ${TURN_MS} ms per task, ${SLOTS} task(s) at once per node`);
  const runs: RunFigures[] = [];
  for (const nodes of [1, 4]) runs.push(await runOn(nodes, { server, daemon, work, scripts: s }));
  for (const r of runs) {
    console.log(
      `  ${r.nodes} node(s): makespan ${ms(r.makespanMs)}, bound ${ms(r.boundMs)} -> ${(r.makespanMs / r.boundMs).toFixed(2)}x the bound; ` +
        `ready->started p50 ${ms(percentile(r.readyToStarted, 50))} p99 ${ms(percentile(r.readyToStarted, 99))} (ready->taken by a node p50 ${ms(percentile(r.readyToClaimed, 50))} p99 ${ms(percentile(r.readyToClaimed, 99))}); ` +
        `${r.events} events, ${((r.events / r.makespanMs) * 1000).toFixed(0)} events/s`,
    );
  }
  console.log(`  4 nodes against 1: ${(runs[0]!.makespanMs / runs[1]!.makespanMs).toFixed(2)}x faster (the bounds allow ${(runs[0]!.boundMs / runs[1]!.boundMs).toFixed(2)}x)`);

  const pgUrl = await server.createDatabase('bench_writes');
  const sqliteFile = path.join(work, 'writes.db');
  const pg = () => openStore({ location: pgUrl });
  const sqlite = async () => openRunStore({ path: sqliteFile });
  const pgQueued = await writeThroughput(pg, 4, 2000);
  const sqliteQueued = await writeThroughput(sqlite, 4, 2000);
  const pgAwaited = await awaitedThroughput(pg, 1000);
  const sqliteAwaited = await awaitedThroughput(sqlite, 1000);
  console.log('store write throughput (events stored per second)');
  console.log(`  4 writers queueing 2000 events each: PostgreSQL ${pgQueued.toFixed(0)}/s, SQLite ${sqliteQueued.toFixed(0)}/s -> ratio ${(pgQueued / sqliteQueued).toFixed(2)}x`);
  console.log(`  1 writer awaiting each of 1000 appends: PostgreSQL ${pgAwaited.toFixed(0)}/s, SQLite ${sqliteAwaited.toFixed(0)}/s -> ratio ${(pgAwaited / sqliteAwaited).toFixed(2)}x`);
} finally {
  await daemon?.stop();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
}
