// The run store's contract, one test suite run against every database it works on (SQLite,
// PostgreSQL): numbering, validation, append-only history, plan versions, the run lock and its
// takeover from a killed process, humans' lock-free decisions, live subscribers, resume, and
// several processes writing one store at once.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../plan/plan-schema.ts';
import type { RunStore } from './run-store.ts';
import { LockLostError, RunLockedError, StoreUsageError, UnknownRunError } from './store-errors.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface StoreHarness {
  /** A new, empty store: a file path or a database URL. */
  freshLocation(): Promise<string>;
  open(location: string, options?: { now?: () => Date }): Promise<RunStore>;
  /** Runs one SQL statement on the store's database through a connection of its own. */
  sql(location: string, statement: string): Promise<void>;
  /** Makes every insert of an event fail (as a full disk would) until the returned function is called. */
  breakEventInserts(location: string): Promise<() => Promise<void>>;
  /** Removes what freshLocation made. */
  dispose(location: string): Promise<void>;
}

const plan: Plan = {
  ticket: 'Add CSV export',
  summary: 'two tasks',
  workflow: 'feature',
  tasks: [
    { id: 'a', title: 'A', type: 'implementation', role: 'worker', status: 'pending', depends_on: [], phase: 1, brief: 'do a', read_scope: ['**'], write_scope: ['src/a/**'], tests: [], acceptance: [] },
    { id: 'b', title: 'B', type: 'tests', role: 'worker', status: 'pending', depends_on: ['a'], phase: 1, brief: 'do b', read_scope: ['**'], write_scope: ['test/**'], tests: [], acceptance: [] },
  ],
};

function spawnChild(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [path.join(here, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `skip`: why the database is not there (only outside CI: on CI a missing database fails). */
export function describeStoreContract(name: string, harness: StoreHarness, options: { skip?: string } = {}): void {
  (options.skip ? describe.skip : describe)(`run store contract: ${name}${options.skip ? ` (skipped: ${options.skip})` : ''}`, () => {
    let location: string;
    let store: RunStore;
    const create = (runId = 'r1') => store.createRun({ runId, ticket: 'Add CSV export', workflow: 'feature', baseCommit: 'abc123', maxWorkers: 2, budgets: { tokens: 1000 } });

    beforeEach(async () => {
      location = await harness.freshLocation();
      store = await harness.open(location);
    });
    afterEach(async () => {
      await store.close();
      await harness.dispose(location);
    });

    it('creates runs, numbers events and derives state from them', async () => {
      const writer = await create();
      const v1 = await writer.proposePlan({ plan, source: 'proposed' });
      await writer.approvePlan({ version: v1.version });
      await writer.append({ type: 'task_started', taskId: 'a', attempt: 1 });
      await writer.append({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'model_call', usage: { inputTokens: 100, outputTokens: 20 }, costUsd: 0.01 });
      await writer.append({ type: 'task_status', taskId: 'a', status: 'done' });
      const events = await store.events('r1');
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(events.map((e) => e.type)).toEqual(['run_created', 'plan_proposed', 'plan_approved', 'task_started', 'task_event', 'task_status']);
      const state = await store.state('r1');
      expect(state.approvedVersion).toBe(1);
      expect(state.tasks['a']?.status).toBe('done');
      expect(state.tasks['b']?.status).toBe('pending');
      expect(state.usage.totalTokens).toBe(120);
      expect((await store.events('r1', { afterSeq: 4 })).map((e) => e.seq)).toEqual([5, 6]);
      expect((await store.events('r1', { afterSeq: 1, limit: 2 })).map((e) => e.seq)).toEqual([2, 3]);
      expect((await store.listRuns()).map((r) => [r.runId, r.lastSeq])).toEqual([['r1', 6]]);
      await writer.release();
    });

    it('keeps queued events in order and stores them before flush returns', async () => {
      const writer = await create();
      for (let i = 1; i <= 50; i++) writer.enqueue({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'tool_call', name: `call${i}` });
      writer.enqueue([
        { type: 'task_started', taskId: 'b', attempt: 1 },
        { type: 'task_status', taskId: 'b', status: 'done' },
      ]);
      await writer.flush();
      const events = await store.events('r1');
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 53 }, (_, i) => i + 1));
      expect(events.slice(1, 51).map((e) => (e.type === 'task_event' ? e.name : ''))).toEqual(Array.from({ length: 50 }, (_, i) => `call${i + 1}`));
      await writer.release();
    });

    it('rejects invalid events and plan events outside proposePlan/approvePlan', async () => {
      const writer = await create();
      await expect(writer.append({ type: 'task_status', taskId: 'a', status: 'exploded' } as never)).rejects.toThrow();
      await expect(writer.append({ type: 'plan_approved', version: 1 })).rejects.toThrow(StoreUsageError);
      expect(() => writer.enqueue({ type: 'plan_approved', version: 1 })).toThrow(StoreUsageError);
      expect(await store.events('r1')).toHaveLength(1);
      await writer.release();
    });

    it('keeps events and plan versions append-only and approves a version once', async () => {
      const writer = await create();
      await writer.proposePlan({ plan, source: 'proposed' });
      const edited = await writer.proposePlan({ plan: { ...plan, summary: 'edited' }, source: 'edited', by: 'ann' });
      expect(edited.version).toBe(2);
      await writer.approvePlan({ version: 2, by: 'ann' });
      await expect(writer.approvePlan({ version: 2 })).rejects.toThrow(/already approved/);
      await expect(writer.approvePlan({ version: 9 })).rejects.toThrow(/no plan version 9/);
      const versions = await store.planVersions('r1');
      expect(versions.map((v) => [v.version, v.source, v.approvedBy])).toEqual([
        [1, 'proposed', undefined],
        [2, 'edited', 'ann'],
      ]);
      expect((await store.state('r1')).plan?.summary).toBe('edited');
      await expect(harness.sql(location, "UPDATE events SET type = 'x' WHERE run_id = 'r1'")).rejects.toThrow(/append-only/);
      await expect(harness.sql(location, 'DELETE FROM events')).rejects.toThrow(/append-only/);
      await expect(harness.sql(location, "UPDATE plan_versions SET plan = '{}' WHERE version = 1")).rejects.toThrow(/append-only/);
      await writer.release();
    });

    it('refuses a second writer while the lock is held and lets it in after release', async () => {
      const writer = await create();
      await expect(store.openWriter('r1')).rejects.toThrow(RunLockedError);
      const other = await harness.open(location);
      try {
        await expect(other.openWriter('r1')).rejects.toThrow(/already being driven by process/);
        await writer.release();
        const second = await other.openWriter('r1');
        expect(second.takenOverFrom).toBeUndefined();
        await expect(writer.append({ type: 'task_started', taskId: 'a', attempt: 1 })).rejects.toThrow(StoreUsageError);
        await second.release();
      } finally {
        await other.close();
      }
    });

    it('fences a writer whose lock was taken from it', async () => {
      const writer = await create();
      await harness.sql(location, "UPDATE run_locks SET token = 'someone-else' WHERE run_id = 'r1'");
      await expect(writer.append({ type: 'task_started', taskId: 'a', attempt: 1 })).rejects.toThrow(LockLostError);
      writer.enqueue({ type: 'task_started', taskId: 'a', attempt: 1 });
      await expect(writer.flush()).rejects.toThrow(LockLostError);
    });

    it('creates a run, its first event and its lock together, or nothing', async () => {
      const repair = await harness.breakEventInserts(location);
      await expect(store.createRun({ runId: 'half', ticket: 't', workflow: 'feature', baseCommit: 'b', maxWorkers: 1 })).rejects.toThrow(/disk full/);
      await repair();
      expect(await store.hasRun('half')).toBe(false);
      expect(await store.lockHolder('half')).toBeUndefined();
      expect(await store.listRuns()).toEqual([]);
    });

    it('reports unknown runs and duplicate run ids', async () => {
      await (await create()).release();
      await expect(store.openWriter('nope')).rejects.toThrow(UnknownRunError);
      await expect(store.state('nope')).rejects.toThrow(UnknownRunError);
      await expect(create()).rejects.toThrow(/already exists/);
    });

    it('lets two runs on one store be written side by side', async () => {
      const one = await create('one');
      const two = await create('two');
      for (let i = 1; i <= 5; i++) {
        one.enqueue({ type: 'task_started', taskId: 'a', attempt: i });
        two.enqueue({ type: 'task_started', taskId: 'b', attempt: i });
      }
      await Promise.all([one.flush(), two.flush()]);
      expect((await store.events('one')).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store.state('two')).tasks['b']?.attempts).toBe(5);
      await one.release();
      await two.release();
    });

    it('tells live subscribers about appended events before the append returns', async () => {
      const writer = await create();
      const seen: string[] = [];
      const stop = store.subscribe('r1', (e) => seen.push(`${e.seq}:${e.type}`));
      await writer.append({ type: 'task_started', taskId: 'a', attempt: 1 });
      stop();
      await writer.append({ type: 'task_status', taskId: 'a', status: 'done' });
      expect(seen).toEqual(['2:task_started']);
      await writer.release();
    });

    it('records humans’ decisions while another writer holds the lock, and only decisions', async () => {
      const writer = await create();
      await writer.approvePlan({ version: (await writer.proposePlan({ plan: { ...plan, tasks: [{ ...plan.tasks[0]!, needs_approval: true }] }, source: 'proposed' })).version });
      await writer.append({ type: 'escalation_raised', escalationId: 'a-1', taskId: 'a', reason: 'why' });
      const stored = await store.recordHumanDecision('r1', { decision: 'retry', escalationId: 'a-1', taskId: 'a', note: 'try again' });
      expect(stored).toMatchObject({ type: 'human_decision', by: 'human', seq: 5 });
      expect((await store.state('r1')).escalations[0]!.resolution).toMatchObject({ decision: 'retry', note: 'try again' });
      await writer.append({ type: 'task_status', taskId: 'a', status: 'rework' });
      expect((await store.events('r1')).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      await expect(store.recordHumanDecision('nope', { decision: 'approve' })).rejects.toThrow(/nope/);
      await expect(store.recordHumanDecision('r1', { decision: 'explode' as never })).rejects.toThrow();
      await writer.release();
    });

    it('refuses attempt writes from worker nodes unless the store can fence them', async () => {
      const writer = await create();
      const attempt = store.attemptWriter('r1', { queue: 'baton-tasks', taskId: 'a', attempt: 1, jobId: '00000000-0000-0000-0000-000000000000', claim: 0 });
      await expect(attempt.appendMany([{ type: 'task_started', taskId: 'a', attempt: 1 }])).rejects.toThrow(store.kind === 'sqlite' ? /PostgreSQL/ : /no longer/);
      expect(await store.events('r1')).toHaveLength(1);
      await writer.release();
    });

    it('resumes: in-flight tasks go back to pending, finished ones stay with their commits', async () => {
      const writer = await create();
      await writer.approvePlan({ version: (await writer.proposePlan({ plan, source: 'proposed' })).version });
      await writer.append({ type: 'task_started', taskId: 'a', attempt: 1 });
      await writer.append({ type: 'diff_recorded', taskId: 'a', attempt: 1, commit: 'c0ffee', files: ['src/a/x.ts'] });
      await writer.append({ type: 'task_status', taskId: 'a', status: 'done' });
      await writer.append({ type: 'task_started', taskId: 'b', attempt: 1 });
      await writer.release();
      const { writer: resumed, resume } = await store.resumeRun('r1');
      expect(resume.finished).toEqual(['a']);
      expect(resume.commits).toEqual({ a: { taskCommit: 'c0ffee' } });
      expect(resume.inFlight).toEqual([{ taskId: 'b', attempt: 1, status: 'in_progress' }]);
      const state = await store.state('r1');
      expect(state.tasks['b']?.status).toBe('pending');
      expect(state.resumes).toBe(1);
      await resumed.release();
    });

    it('refuses while a live process holds the lock and takes over after it is killed with SIGKILL', async () => {
      await (await create()).release();
      const child = spawnChild('lock-holder-child.ts', [location, 'r1']);
      try {
        const pid = await new Promise<number>((resolve, reject) => {
          let out = '';
          let err = '';
          child.stdout!.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const match = /locked (\d+)/.exec(out);
            if (match) resolve(Number(match[1]));
          });
          child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
          child.on('exit', (code) => reject(new Error(`lock holder exited early (${code}): ${err}`)));
        });
        expect((await store.lockHolder('r1'))?.pid).toBe(pid);
        await expect(store.openWriter('r1')).rejects.toThrow(new RegExp(`process ${pid}`));
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
        const { writer, resume } = await store.resumeRun('r1');
        expect(writer.takenOverFrom?.pid).toBe(pid);
        expect(resume.inFlight.map((t) => t.taskId)).toEqual(['held']);
        expect((await store.lockHolder('r1'))?.pid).toBe(process.pid);
        await writer.release();
      } finally {
        child.kill('SIGKILL');
      }
    });

    it('lets several processes write different runs of one store at the same time', async () => {
      const children = ['one', 'two', 'three'].map(
        (runId) =>
          new Promise<string>((resolve, reject) => {
            const child = spawnChild('append-child.ts', [location, runId, '300']);
            let err = '';
            child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
            child.on('exit', (code) => (code === 0 ? resolve(runId) : reject(new Error(`writer of ${runId} failed (${code}): ${err}`))));
          }),
      );
      const mine = await store.createRun({ runId: 'parent', ticket: 't', workflow: 'feature', baseCommit: 'b', maxWorkers: 1 });
      for (let i = 0; i < 300; i++) mine.enqueue({ type: 'task_event', taskId: 'work', attempt: 1, kind: 'model_call', usage: { inputTokens: 1, outputTokens: 1 } });
      await mine.release();
      await Promise.all(children);
      for (const runId of ['one', 'two', 'three', 'parent']) {
        const events = await store.events(runId);
        expect(events).toHaveLength(301);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 301 }, (_, i) => i + 1));
      }
      expect((await store.state('one')).usage.toolCalls).toBe(300);
      expect((await store.listRuns()).every((r) => r.lockedBy === undefined)).toBe(true);
    });
  });
}
