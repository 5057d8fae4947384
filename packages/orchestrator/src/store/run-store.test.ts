import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../plan/plan-schema.ts';
import { openRunStore, type RunStore } from './run-store.ts';
import { LockLostError, RunLockedError, StoreUsageError, UnknownRunError } from './store-errors.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
let store: RunStore;

const plan: Plan = {
  ticket: 'Add CSV export',
  summary: 'two tasks',
  workflow: 'feature',
  tasks: [
    { id: 'a', title: 'A', type: 'implementation', role: 'worker', status: 'pending', depends_on: [], phase: 1, brief: 'do a', read_scope: ['**'], write_scope: ['src/a/**'], tests: [], acceptance: [] },
    { id: 'b', title: 'B', type: 'tests', role: 'worker', status: 'pending', depends_on: ['a'], phase: 1, brief: 'do b', read_scope: ['**'], write_scope: ['test/**'], tests: [], acceptance: [] },
  ],
};

function create(runId = 'r1') {
  return store.createRun({ runId, ticket: 'Add CSV export', workflow: 'feature', baseCommit: 'abc123', maxWorkers: 2, budgets: { tokens: 1000 } });
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'baton-store-'));
  store = openRunStore({ path: path.join(dir, 'baton', 'state.db') });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('run store', () => {
  it('creates runs, numbers events and derives state from them', () => {
    const writer = create();
    const v1 = writer.proposePlan({ plan, source: 'proposed' });
    writer.approvePlan({ version: v1.version });
    writer.append({ type: 'task_started', taskId: 'a', attempt: 1 });
    writer.append({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'model_call', usage: { inputTokens: 100, outputTokens: 20 }, costUsd: 0.01 });
    writer.append({ type: 'task_status', taskId: 'a', status: 'done' });
    const events = store.events('r1');
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.map((e) => e.type)).toEqual(['run_created', 'plan_proposed', 'plan_approved', 'task_started', 'task_event', 'task_status']);
    const state = store.state('r1');
    expect(state.approvedVersion).toBe(1);
    expect(state.tasks['a']?.status).toBe('done');
    expect(state.tasks['b']?.status).toBe('pending');
    expect(state.usage.totalTokens).toBe(120);
    expect(store.events('r1', { afterSeq: 4 }).map((e) => e.seq)).toEqual([5, 6]);
    expect(store.listRuns().map((r) => [r.runId, r.lastSeq])).toEqual([['r1', 6]]);
  });

  it('rejects invalid events and plan events outside proposePlan/approvePlan', () => {
    const writer = create();
    expect(() => writer.append({ type: 'task_status', taskId: 'a', status: 'exploded' } as never)).toThrow();
    expect(() => writer.append({ type: 'plan_approved', version: 1 })).toThrow(StoreUsageError);
    expect(store.events('r1')).toHaveLength(1);
  });

  it('keeps plan versions append-only and approves a version once', () => {
    const writer = create();
    writer.proposePlan({ plan, source: 'proposed' });
    const edited = writer.proposePlan({ plan: { ...plan, summary: 'edited' }, source: 'edited', by: 'ann' });
    expect(edited.version).toBe(2);
    writer.approvePlan({ version: 2, by: 'ann' });
    expect(() => writer.approvePlan({ version: 2 })).toThrow(/already approved/);
    expect(() => writer.approvePlan({ version: 9 })).toThrow(/no plan version 9/);
    const versions = store.planVersions('r1');
    expect(versions.map((v) => [v.version, v.source, v.approvedBy])).toEqual([[1, 'proposed', undefined], [2, 'edited', 'ann']]);
    expect(store.state('r1').plan?.summary).toBe('edited');
    expect(() => store.db.prepare('UPDATE events SET type = ? WHERE run_id = ?').run('x', 'r1')).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(() => store.db.prepare('UPDATE plan_versions SET plan = ? WHERE version = 1').run('{}')).toThrow(/append-only/);
  });

  it('refuses a second writer in the same live process and lets it in after release', () => {
    const writer = create();
    expect(() => store.openWriter('r1')).toThrow(RunLockedError);
    const other = openRunStore({ path: store.path });
    try {
      expect(() => other.openWriter('r1')).toThrow(/already being driven by process/);
      writer.release();
      const second = other.openWriter('r1');
      expect(second.takenOverFrom).toBeUndefined();
      expect(() => writer.append({ type: 'task_started', taskId: 'a', attempt: 1 })).toThrow(StoreUsageError);
      second.release();
    } finally {
      other.close();
    }
  });

  it('fences a writer whose lock was taken from it', () => {
    const writer = create();
    store.db.prepare('UPDATE run_locks SET token = ? WHERE run_id = ?').run('someone-else', 'r1');
    expect(() => writer.append({ type: 'task_started', taskId: 'a', attempt: 1 })).toThrow(LockLostError);
  });

  it('creates a run, its first event and its lock together, or nothing', () => {
    store.db.exec("CREATE TEMP TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => store.createRun({ runId: 'half', ticket: 't', workflow: 'feature', baseCommit: 'b', maxWorkers: 1 })).toThrow(/disk full/);
    store.db.exec('DROP TRIGGER refuse_events');
    expect(store.hasRun('half')).toBe(false);
    expect(store.lockHolder('half')).toBeUndefined();
    expect(store.listRuns()).toEqual([]);
  });

  it('reports unknown runs and duplicate run ids', () => {
    create();
    expect(() => store.openWriter('nope')).toThrow(UnknownRunError);
    expect(() => store.state('nope')).toThrow(UnknownRunError);
    expect(() => create()).toThrow(/already exists/);
  });

  it('lets two runs on one store be written side by side', () => {
    const one = create('one');
    const two = create('two');
    for (let i = 1; i <= 5; i++) {
      one.append({ type: 'task_started', taskId: 'a', attempt: i });
      two.append({ type: 'task_started', taskId: 'b', attempt: i });
    }
    expect(store.events('one').map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(store.state('two').tasks['b']?.attempts).toBe(5);
  });

  it('tells live subscribers about appended events', () => {
    const writer = create();
    const seen: string[] = [];
    const stop = store.subscribe('r1', (e) => seen.push(`${e.seq}:${e.type}`));
    writer.append({ type: 'task_started', taskId: 'a', attempt: 1 });
    stop();
    writer.append({ type: 'task_status', taskId: 'a', status: 'done' });
    expect(seen).toEqual(['2:task_started']);
  });

  it('resumes: in-flight tasks go back to pending, finished ones stay with their commits', () => {
    const writer = create();
    writer.approvePlan({ version: writer.proposePlan({ plan, source: 'proposed' }).version });
    writer.append({ type: 'task_started', taskId: 'a', attempt: 1 });
    writer.append({ type: 'diff_recorded', taskId: 'a', attempt: 1, commit: 'c0ffee', files: ['src/a/x.ts'] });
    writer.append({ type: 'task_status', taskId: 'a', status: 'done' });
    writer.append({ type: 'task_started', taskId: 'b', attempt: 1 });
    writer.release();
    const { writer: resumed, resume } = store.resumeRun('r1');
    expect(resume.finished).toEqual(['a']);
    expect(resume.commits).toEqual({ a: { taskCommit: 'c0ffee' } });
    expect(resume.inFlight).toEqual([{ taskId: 'b', attempt: 1, status: 'in_progress' }]);
    const state = store.state('r1');
    expect(state.tasks['b']?.status).toBe('pending');
    expect(state.resumes).toBe(1);
    resumed.release();
  });
});

describe('run lock across processes', () => {
  function startHolder(): Promise<{ child: ChildProcess; pid: number }> {
    const child = spawn(process.execPath, [path.join(here, 'lock-holder-child.ts'), store.path, 'r1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /locked (\d+)/.exec(out);
        if (match) resolve({ child, pid: Number(match[1]) });
      });
      child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`lock holder exited early (${code}): ${err}`)));
    });
  }

  it('refuses while a live process holds the lock and takes over after it is killed with SIGKILL', async () => {
    create().release();
    const { child, pid } = await startHolder();
    try {
      expect(store.lockHolder('r1')?.pid).toBe(pid);
      expect(() => store.openWriter('r1')).toThrow(new RegExp(`process ${pid}`));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const { writer, resume } = store.resumeRun('r1');
      expect(writer.takenOverFrom?.pid).toBe(pid);
      expect(resume.inFlight.map((t) => t.taskId)).toEqual(['held']);
      expect(store.lockHolder('r1')?.pid).toBe(process.pid);
      writer.release();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
