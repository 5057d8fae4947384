// The engine's ordering and bookkeeping with in-memory ports: acceptance and integration,
// rework with feedback, escalation and a human's answer, scope violations, tests failing
// after a merge, write-scope serialization, phase gates and budgets.
import { budgetedModel, createRunBudget, RunBudgetExhaustedError, runWorker, type ModelClient } from '@baton/worker-host';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import type { Plan, TaskInput } from '../plan/plan-schema.ts';
import { openRunStore } from '../store/open-store.ts';
import { type RunStore } from '../store/run-store.ts';
import type { RunEventInput } from '../store/run-event.ts';
import type { EnginePorts, ReviewVerdict, SuiteResult, WorkerResult } from './engine-ports.ts';
import { executeRun, type EngineSettings } from './run-engine.ts';

let store: RunStore;
beforeEach(async () => {
  store = openRunStore({ path: ':memory:' });
});
afterEach(async () => await store.close());

interface FakeWorld {
  ports: EnginePorts;
  /** Commits on the fake run branch, in order. */
  branch: string[];
  /** Most tasks that were running at once, and which pairs overlapped in time. */
  maxConcurrent: number;
  concurrentPairs: Set<string>;
  briefs: Record<string, string[]>;
  gateRuns: string[][];
}

interface FakeBehaviour {
  review?: (taskId: string, attempt: number) => ReviewVerdict;
  worker?: (taskId: string, attempt: number) => WorkerResult;
  files?: (taskId: string) => string[];
  taskTests?: (taskId: string, attempt: number) => boolean;
  gateTests?: (branch: readonly string[]) => boolean;
  /** Resolved before each worker finishes, to hold workers open together. */
  hold?: (taskId: string) => Promise<void>;
}

function fakeWorld(behaviour: FakeBehaviour = {}): FakeWorld {
  const world: FakeWorld = { ports: undefined as never, branch: ['base'], maxConcurrent: 0, concurrentPairs: new Set(), briefs: {}, gateRuns: [] };
  const active = new Set<string>();
  let commits = 0;
  world.ports = {
    workspaces: {
      create: async ({ task, attempt }) => ({ dir: `/ws/${task.id}/${attempt}`, branch: `baton-tasks/r/${task.id}` }),
      commit: async ({ workspace }) => {
        const taskId = workspace.dir.split('/')[2]!;
        const files = behaviour.files?.(taskId) ?? [`src/${taskId}.ts`];
        if (files.length === 0) return undefined;
        commits++;
        return { commit: `c${commits}-${taskId}`, changed: files.map((path) => ({ path, status: 'modified' as const })), diff: `diff of ${taskId}` };
      },
      remove: async () => {},
    },
    worker: {
      run: async ({ task, attempt, brief }) => {
        (world.briefs[task.id] ??= []).push(brief);
        for (const other of active) world.concurrentPairs.add([other, task.id].sort().join('+'));
        active.add(task.id);
        world.maxConcurrent = Math.max(world.maxConcurrent, active.size);
        await (behaviour.hold?.(task.id) ?? Promise.resolve());
        active.delete(task.id);
        return behaviour.worker?.(task.id, attempt) ?? { kind: 'completed', summary: `did ${task.id}` };
      },
    },
    tests: {
      run: async ({ dir, suites }): Promise<SuiteResult[]> => {
        const onBranch = dir === '/run';
        if (onBranch) world.gateRuns.push([...world.branch]);
        const [, , taskId, attempt] = dir.split('/');
        const passed = onBranch ? (behaviour.gateTests?.(world.branch) ?? true) : (behaviour.taskTests?.(taskId!, Number(attempt)) ?? true);
        return suites.map((suite) => ({ suite, passed, summary: passed ? '3 passed' : '1 failed: expected 2, got 3', durationMs: 5 }));
      },
    },
    reviewer: { review: async ({ task, attempt }) => behaviour.review?.(task.id, attempt) ?? { decision: 'accept', reasons: ['looks right'] } },
    integration: {
      prepare: async (_runId, tip) => {
        world.branch.splice(world.branch.indexOf(tip) + 1);
      },
      tip: async () => world.branch.at(-1)!,
      integrate: async ({ taskCommit }) => {
        world.branch.push(taskCommit);
        return { kind: 'merged', commit: taskCommit, resolvedBy: 'clean' };
      },
      reset: async ({ commit }) => {
        world.branch.splice(world.branch.indexOf(commit) + 1);
      },
      checkoutDir: async () => '/run',
    },
  };
  return world;
}

const settings: EngineSettings = { maxReworks: 2, protectedPaths: ['**/.env'], gateSuites: ['unit'], workerModel: 'scripted:test' };

async function startRun(plan: Plan, options: { maxWorkers?: number; budgets?: { tokens?: number; wallSeconds?: number } } = {}) {
  const writer = await store.createRun({ runId: 'r', ticket: plan.ticket, workflow: plan.workflow, baseCommit: 'base', maxWorkers: options.maxWorkers ?? 4, budgets: options.budgets ?? {} });
  const version = await writer.proposePlan({ plan, source: 'proposed' });
  await writer.approvePlan({ version: version.version });
  return writer;
}

const tasks = (...items: (Partial<TaskInput> & { id: string })[]) => makePlan(items.map((t) => ({ write_scope: [`src/${t.id}.ts`], tests: ['unit'], ...t })));

describe('executeRun', () => {
  it('runs ready tasks, integrates accepted work in dependency order and succeeds', async () => {
    const world = fakeWorld({ files: (id) => (id === 'scan' ? [] : [`src/${id}.ts`]) });
    const writer = await startRun(tasks({ id: 'a' }, { id: 'b', depends_on: ['a'] }, { id: 'c' }, { id: 'scan', type: 'analysis', write_scope: [], tests: [] }));
    const result = await executeRun({ store, writer, ports: world.ports, settings });
    expect(result.outcome).toBe('succeeded');
    expect(result.branch).toBe('baton/r');
    const state = await store.state('r');
    expect(Object.values(state.tasks).map((t) => t.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(world.branch.indexOf(state.tasks['a']!.mergedCommit!)).toBeLessThan(world.branch.indexOf(state.tasks['b']!.mergedCommit!));
    expect(state.tasks['scan']!.mergedCommit).toBeUndefined();
    expect(world.gateRuns).toHaveLength(3); // after each of the three merges (feature runs have no phase gates)
    expect((await store.events('r')).at(-1)).toMatchObject({ type: 'run_finished', outcome: 'succeeded', commit: world.branch.at(-1) });
  });

  it('sends reviewer feedback to a fresh attempt and accepts the rework', async () => {
    const world = fakeWorld({ review: (_id, attempt) => (attempt === 1 ? { decision: 'rework', reasons: ['missing header'], feedback: 'Add the CSV header row.' } : { decision: 'accept', reasons: [] }) });
    const writer = await startRun(tasks({ id: 'a' }));
    expect((await executeRun({ store, writer, ports: world.ports, settings })).outcome).toBe('succeeded');
    expect((await store.state('r')).tasks['a']).toMatchObject({ status: 'done', attempts: 2 });
    expect(world.briefs['a']![1]).toContain('Add the CSV header row.');
    expect(world.briefs['a']![0]).not.toContain('rework requested');
  });

  it('escalates after the rework limit, stops for a human, and integrates once the human approves', async () => {
    const world = fakeWorld({ review: () => ({ decision: 'rework', reasons: ['still wrong'], feedback: 'again' }) });
    const writer = await startRun(tasks({ id: 'a' }, { id: 'b', depends_on: ['a'] }));
    const first = await executeRun({ store, writer, ports: world.ports, settings });
    expect(first.outcome).toBe('escalated');
    let state = await store.state('r');
    expect(state.tasks['a']).toMatchObject({ status: 'blocked', attempts: 3 });
    expect(state.tasks['b']!.status).toBe('pending');
    const escalation = state.escalations[0]!;
    expect(escalation.reason).toContain('after 3 attempts');

    await writer.append({ type: 'human_decision', decision: 'approve', escalationId: escalation.id, taskId: 'a', note: 'good enough' });
    const reviewAll = fakeWorld();
    reviewAll.branch.splice(0, reviewAll.branch.length, ...world.branch);
    const second = await executeRun({ store, writer, ports: reviewAll.ports, settings });
    expect(second.outcome).toBe('succeeded');
    state = await store.state('r');
    expect(state.tasks['a']!.status).toBe('done');
    expect(state.tasks['a']!.mergedCommit).toBe(state.tasks['a']!.commit);
  });

  it('sends a diff outside the write scope back for rework without running tests or the reviewer', async () => {
    let reviews = 0;
    const world = fakeWorld({ files: (id) => (id === 'a' ? ['src/a.ts', 'config/.env'] : [`src/${id}.ts`]), review: () => (reviews++, { decision: 'accept', reasons: [] }) });
    const writer = await startRun(tasks({ id: 'a' }), { maxWorkers: 1 });
    await executeRun({ store, writer, ports: world.ports, settings: { ...settings, maxReworks: 0 } });
    const decided = (await store.events('r')).filter((e) => e.type === 'review_decided');
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ decision: 'rework', reasons: ['scope_violation'] });
    expect(JSON.stringify(decided[0])).toContain('config/.env (protected path)');
    expect(reviews).toBe(0);
    expect((await store.state('r')).tasks['a']!.status).toBe('blocked');
  });

  it('undoes a merge whose gate tests fail and reworks the task', async () => {
    const world = fakeWorld({ gateTests: (branch) => !branch.includes('c2-b') });
    const writer = await startRun(tasks({ id: 'a' }, { id: 'b', depends_on: ['a'] }));
    const result = await executeRun({ store, writer, ports: world.ports, settings });
    expect(result.outcome).toBe('succeeded');
    const merges = (await store.events('r')).filter((e) => e.type === 'merge_result');
    expect(merges.map((m) => [m.taskId, m.ok])).toEqual([
      ['a', true],
      ['b', false],
      ['b', true],
    ]);
    expect(world.branch).toEqual(['base', 'c1-a', 'c3-b']);
    expect((await store.state('r')).tasks['b']!.attempts).toBe(2);
  });

  it('never runs tasks with overlapping write scopes at once, but runs disjoint ones in parallel', async () => {
    const gates = new Map<string, () => void>();
    const started: string[] = [];
    let notify: () => void = () => {};
    const world = fakeWorld({
      files: (id) => [{ a: 'src/shared/a.ts', b: 'src/shared/x.ts', c: 'docs/c.md' }[id]!],
      hold: (id) => {
        started.push(id);
        notify();
        return new Promise((resolve) => gates.set(id, resolve));
      },
    });
    const writer = await startRun(tasks({ id: 'a', write_scope: ['src/shared/**'] }, { id: 'b', write_scope: ['src/shared/x.ts'] }, { id: 'c', write_scope: ['docs/**'] }));
    const running = executeRun({ store, writer, ports: world.ports, settings: { ...settings, gateSuites: [] } });
    const until = async (n: number) => {
      while (started.length < n) await new Promise<void>((resolve) => (notify = resolve));
    };
    await until(2);
    expect(started.sort()).toEqual(['a', 'c']);
    for (const id of ['a', 'c']) gates.get(id)!();
    await until(3);
    gates.get('b')!();
    expect((await running).outcome).toBe('succeeded');
    expect(world.concurrentPairs.has('a+b')).toBe(false);
    expect(world.concurrentPairs.has('a+c')).toBe(true);
  });

  it('holds phase 2 until phase 1\'s gate passes and stops when it fails', async () => {
    const world = fakeWorld();
    const writer = await startRun({ ...tasks({ id: 'p1' }, { id: 'p2', phase: 2 }), workflow: 'refactor' });
    const result = await executeRun({ store, writer, ports: world.ports, settings: { ...settings, gateSuites: [] } });
    const state = await store.state('r');
    expect(state.tasks['p1']!.status).toBe('done');
    expect(state.gates[1]).toMatchObject({ passed: true });
    expect(state.tasks['p2']!.status).toBe('done');
    expect(result.outcome).toBe('succeeded');

    await store.close();
    store = openRunStore({ path: ':memory:' });
    const failing = fakeWorld({ gateTests: () => false });
    const writer2 = await startRun({ ...tasks({ id: 'p1' }, { id: 'p2', phase: 2 }), workflow: 'refactor' });
    const stopped = await executeRun({ store, writer: writer2, ports: failing.ports, settings: { ...settings, gateSuites: [] } });
    expect((await store.state('r')).gates[1]).toMatchObject({ passed: false });
    expect((await store.state('r')).tasks['p2']!.status).toBe('pending');
    expect(stopped.outcome).toBe('escalated');
    const gateEscalation = (await store.state('r')).escalations.find((e) => e.id === 'gate-1')!;
    expect(gateEscalation.reason).toContain('phase 1');

    await writer2.append({ type: 'human_decision', decision: 'approve', escalationId: 'gate-1', note: 'known flaky suite' });
    const resumed = await executeRun({ store, writer: writer2, ports: fakeWorld().ports, settings: { ...settings, gateSuites: [] } });
    expect(resumed.outcome).toBe('succeeded');
    expect((await store.state('r')).tasks['p2']!.status).toBe('done');
  });

  it('gives a task escalated again a fresh escalation id, so each human answer lands', async () => {
    const world = fakeWorld();
    let conflicts = 2;
    world.ports.integration.integrate = async ({ taskCommit }) => {
      if (conflicts-- > 0) return { kind: 'conflict', files: ['src/a.ts'], reason: 'same lines changed' };
      world.branch.push(taskCommit);
      return { kind: 'merged', commit: taskCommit, resolvedBy: 'clean' };
    };
    const writer = await startRun(tasks({ id: 'a' }));
    expect((await executeRun({ store, writer, ports: world.ports, settings })).outcome).toBe('escalated');
    await writer.append({ type: 'human_decision', decision: 'approve', escalationId: (await store.state('r')).escalations[0]!.id, taskId: 'a' });
    expect((await executeRun({ store, writer, ports: world.ports, settings })).outcome).toBe('escalated');
    const ids = (await store.state('r')).escalations.map((e) => e.id);
    expect(new Set(ids).size).toBe(2);
    await writer.append({ type: 'human_decision', decision: 'approve', escalationId: ids[1]!, taskId: 'a' });
    expect((await executeRun({ store, writer, ports: world.ports, settings })).outcome).toBe('succeeded');
    expect((await store.state('r')).tasks['a']!.status).toBe('done');
  });

  it('stops starting tasks once the token budget is spent', async () => {
    const world = fakeWorld();
    const writer = await startRun(tasks({ id: 'a' }, { id: 'b', depends_on: ['a'] }), { budgets: { tokens: 100 } });
    const spend = world.ports.worker.run;
    world.ports.worker.run = async (input) => {
      input.emit({ type: 'task_event', taskId: input.task.id, attempt: input.attempt, kind: 'model_call', usage: { inputTokens: 90, outputTokens: 20 } });
      return spend(input);
    };
    const result = await executeRun({ store, writer, ports: world.ports, settings });
    expect(result.outcome).toBe('budget_exhausted');
    expect((await store.state('r')).tasks['b']!.status).toBe('pending');
    expect((await store.events('r')).some((e) => e.type === 'budget' && e.level === 'exhausted' && e.resource === 'tokens')).toBe(true);
  });

  it('integrates work whose review a killed process accepted, without running its worker again', async () => {
    const world = fakeWorld();
    const first = await startRun(tasks({ id: 'a' }, { id: 'b', depends_on: ['a'] }));
    await first.appendMany([
      { type: 'task_started', taskId: 'a', attempt: 1 },
      { type: 'diff_recorded', taskId: 'a', attempt: 1, commit: 'c-killed' },
      { type: 'task_status', taskId: 'a', status: 'awaiting_review' },
      { type: 'review_decided', taskId: 'a', attempt: 1, decision: 'accept', reasons: [] },
    ]);
    await first.release(); // the process died here
    const { writer } = await store.resumeRun('r');
    const result = await executeRun({ store, writer, ports: world.ports, settings });
    expect(result.outcome).toBe('succeeded');
    expect(world.briefs['a']).toBeUndefined();
    expect(world.branch.filter((c) => c === 'c-killed')).toHaveLength(1);
    expect((await store.events('r')).filter((e) => e.type === 'task_status' && e.taskId === 'a' && e.status === 'done')).toHaveLength(1);
  });

  it('records a merge and the task done together, and an escalation with the blocked status, so no kill splits them', async () => {
    const world = fakeWorld({ review: () => ({ decision: 'escalate', reasons: ['unsure'] }) });
    const writer = await startRun(tasks({ id: 'a' }, { id: 'b' }));
    const batches: string[][] = [];
    // Each call of enqueue is stored in one transaction (or together with others, never split).
    const enqueue = writer.enqueue.bind(writer);
    writer.enqueue = (events) => {
      batches.push((Array.isArray(events) ? events : [events]).map((e: RunEventInput) => e.type + ('status' in e ? `:${e.status}` : '')));
      enqueue(events);
    };
    await executeRun({ store, writer, ports: world.ports, settings });
    expect(batches).toContainEqual(['escalation_raised', 'task_status:blocked']);
    await writer.release();
    await store.recordHumanDecision('r', { decision: 'approve', escalationId: 'a-1', taskId: 'a' });
    const resumed = (await store.resumeRun('r')).writer;
    const resumedBatches: string[][] = [];
    const resumedEnqueue = resumed.enqueue.bind(resumed);
    resumed.enqueue = (events) => {
      resumedBatches.push((Array.isArray(events) ? events : [events]).map((e: RunEventInput) => e.type + ('status' in e ? `:${e.status}` : '')));
      resumedEnqueue(events);
    };
    await executeRun({ store, writer: resumed, ports: world.ports, settings });
    expect(resumedBatches).toContainEqual(['merge_result', 'task_status:done']);
  });

  it("puts a task the run's budget stopped back to waiting, instead of blaming it, and ends budget_exhausted", async () => {
    const budget = createRunBudget({ limits: { tokens: 100 }, spent: { tokens: 150, costUsd: 0 } });
    const world = fakeWorld({ worker: (id) => (id === 'a' ? { kind: 'budget_exhausted', which: 'tokens', scope: 'run' } : { kind: 'completed', summary: 'ok' }) });
    world.ports.reviewer.review = async () => {
      throw new RunBudgetExhaustedError({ resource: 'tokens', used: 150, limit: 100 });
    };
    const writer = await startRun(tasks({ id: 'a' }, { id: 'b' }), { budgets: { tokens: 100 } });
    // The scheduler's own check would stop everything before a task starts; here the run's budget is spent mid-run.
    const result = await executeRun({ store, writer, ports: world.ports, settings, budget: { ...budget, exhausted: () => (world.briefs['a'] && world.briefs['b'] ? 'tokens' : undefined) } });
    expect(result.outcome).toBe('budget_exhausted');
    const state = await store.state('r');
    expect(state.tasks['a']).toMatchObject({ status: 'pending' });
    expect(state.tasks['b']).toMatchObject({ status: 'pending' });
    expect(state.escalations).toHaveLength(0);
  });

  it('leaves accepted work whose merge the budget stopped (the merge worker was needed) to be merged on resume, not redone', async () => {
    const world = fakeWorld();
    const integrate = world.ports.integration.integrate;
    let budgetLeft = false;
    world.ports.integration.integrate = async (input) => {
      if (!budgetLeft) throw new RunBudgetExhaustedError({ resource: 'tokens', used: 120, limit: 100 });
      return integrate(input);
    };
    const writer = await startRun(tasks({ id: 'a' }));
    expect((await executeRun({ store, writer, ports: world.ports, settings })).outcome).not.toBe('succeeded');
    expect((await store.state('r')).tasks['a']).toMatchObject({ status: 'pending', accepted: { commit: 'c1-a' } });
    expect((await store.state('r')).escalations).toHaveLength(0);
    await writer.release();
    budgetLeft = true;
    const { writer: resumed } = await store.resumeRun('r');
    expect((await executeRun({ store, writer: resumed, ports: world.ports, settings })).outcome).toBe('succeeded');
    expect(world.briefs['a']).toHaveLength(1);
    expect(world.branch).toEqual(['base', 'c1-a']);
  });

  it('holds the wall-time budget with parallel workers to within one model call (injected clock)', async () => {
    let clock = 0;
    // Every model call takes 1,000 ms of the fake clock from its start; calls in parallel overlap.
    const timed: ModelClient = {
      provider: 'test',
      model: 'timed',
      scripted: true,
      complete: async () => {
        const started = clock;
        await new Promise((resolve) => setImmediate(resolve));
        clock = Math.max(clock, started + 1000);
        return { text: '', toolCalls: [{ id: 'c', name: 'read_file', arguments: {} }], stopReason: 'tool_use', usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 } };
      },
    };
    const writer = await startRun(tasks({ id: 'a' }, { id: 'b' }, { id: 'c' }), { budgets: { wallSeconds: 4.5 }, maxWorkers: 3 });
    const budget = createRunBudget({ limits: { wallMs: 4500 }, now: () => clock });
    const world = fakeWorld();
    const starts: number[] = [];
    let active = 0;
    let mostActive = 0;
    world.ports.worker.run = async ({ task, attempt, emit }) => {
      mostActive = Math.max(mostActive, ++active);
      const model = budgetedModel({ ...timed, complete: (r) => (starts.push(clock), timed.complete(r)) }, budget, { costOf: () => 0 });
      const tools = { specs: [{ name: 'read_file', description: 'read', inputSchema: {} }], call: async () => ({ content: 'x', isError: false }) };
      const outcome = await runWorker({ model, tools, system: 's', brief: 'b', budget: { maxTurns: 1000, maxTokens: 1e9 }, now: () => clock, onEvent: (e) => e.type === 'model_call' && emit({ type: 'task_event', taskId: task.id, attempt, kind: 'model_call', usage: e.usage }) });
      active--;
      return outcome.kind === 'budget_exhausted' ? { kind: 'budget_exhausted', which: outcome.which, scope: outcome.scope } : { kind: 'failed', error: outcome.kind };
    };
    const result = await executeRun({ store, writer, ports: world.ports, settings, budget, now: () => clock });
    expect(result.outcome).toBe('budget_exhausted');
    expect(mostActive).toBe(3);
    expect(Math.max(...starts)).toBeLessThan(4500);
    const recorded = (await store.events('r')).find((e) => e.type === 'budget' && e.resource === 'wall');
    expect(recorded).toMatchObject({ level: 'exhausted', limit: 4.5 });
    expect(recorded?.type === 'budget' && recorded.used).toBeLessThanOrEqual(4.5 + 1);
    expect((await store.state('r')).tasks['a']!.status).toBe('pending');
  });
});
