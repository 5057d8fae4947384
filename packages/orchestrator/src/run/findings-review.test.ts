// The engine's path for read-only tasks with in-memory ports: findings are reviewed like a diff
// (accept, rework with feedback up to the limit, escalate to a human whose answer is applied),
// only accepted findings reach the briefs of the tasks that depend on them, and the decisions
// a reviewer logs with accepted work are logged once the work is done.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_DECISIONS } from '../decisions/decision-events.ts';
import { makePlan } from '../plan/make-task.ts';
import type { TaskInput } from '../plan/plan-schema.ts';
import { openRunStore } from '../store/open-store.ts';
import type { RunEventInput } from '../store/run-event.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import type { EnginePorts, ReviewInput, ReviewVerdict } from './engine-ports.ts';
import { executeRun, type EngineSettings } from './run-engine.ts';

let store: RunStore;
beforeEach(() => {
  store = openRunStore({ path: ':memory:' });
});
afterEach(async () => {
  await store.close();
});

const settings: EngineSettings = { maxReworks: 2, protectedPaths: [], gateSuites: [], workerModel: 'scripted:test' };

interface World {
  ports: EnginePorts;
  briefs: Record<string, string[]>;
  reviews: ReviewInput[];
}

/** Read-only tasks change nothing; the others change `src/<id>.ts`. Workers answer `findings(id, attempt)`. */
function world(options: { review: (taskId: string, attempt: number) => ReviewVerdict; findings?: (taskId: string, attempt: number) => string; changes?: (taskId: string) => boolean }): World {
  const w: World = { ports: undefined as never, briefs: {}, reviews: [] };
  const branch = ['base'];
  w.ports = {
    workspaces: {
      create: async ({ task, attempt }) => ({ dir: `/ws/${task.id}/${attempt}`, branch: `baton-tasks/r/${task.id}` }),
      commit: async ({ workspace }) => {
        const taskId = workspace.dir.split('/')[2]!;
        const readOnly = taskId.startsWith('scan');
        if (readOnly && !options.changes?.(taskId)) return undefined;
        return { commit: `c-${taskId}-${workspace.dir.split('/')[3]}`, changed: [{ path: `src/${taskId}.ts`, status: 'modified' as const }], diff: `diff of ${taskId}` };
      },
      remove: async () => {},
    },
    worker: {
      run: async ({ task, attempt, brief }) => {
        (w.briefs[task.id] ??= []).push(brief);
        return { kind: 'completed', summary: options.findings?.(task.id, attempt) ?? `findings of ${task.id} #${attempt}` };
      },
    },
    tests: { run: async ({ suites }) => suites.map((suite) => ({ suite, passed: true, summary: 'ok', durationMs: 1 })) },
    reviewer: {
      review: async (input) => {
        w.reviews.push(input);
        return options.review(input.task.id, input.attempt);
      },
    },
    integration: {
      prepare: async () => {},
      tip: async () => branch.at(-1)!,
      integrate: async ({ taskCommit }) => (branch.push(taskCommit), { kind: 'merged', commit: taskCommit, resolvedBy: 'clean' }),
      reset: async () => {},
      checkoutDir: async () => '/run',
    },
  };
  return w;
}

async function startRun(tasks: (Partial<TaskInput> & { id: string })[]): Promise<RunWriter> {
  const plan = makePlan(tasks.map((t) => (t.id.startsWith('scan') ? { type: 'analysis', write_scope: [], ...t } : { write_scope: [`src/${t.id}.ts`], ...t })));
  const writer = await store.createRun({ runId: 'r', ticket: plan.ticket, workflow: plan.workflow, baseCommit: 'base', maxWorkers: 4 });
  await writer.approvePlan({ version: (await writer.proposePlan({ plan, source: 'proposed' })).version });
  return writer;
}

const accept: ReviewVerdict = { decision: 'accept', reasons: ['answers the brief'] };
const scanThenFix = () => startRun([{ id: 'scan', title: 'Find the cause', acceptance: ['quotes the line'] }, { id: 'fix', title: 'Fix it', depends_on: ['scan'] }]);

describe('read-only tasks are reviewed', () => {
  it('sends accepted findings to the reviewer first, then to the dependent task', async () => {
    const w = world({ review: () => accept });
    const writer = await scanThenFix();
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('succeeded');
    const review = w.reviews.find((r) => r.task.id === 'scan')!;
    expect(review.work).toEqual({ kind: 'findings', findings: 'findings of scan #1' });
    const state = await store.state('r');
    expect(state.tasks['scan']).toMatchObject({ status: 'done', acceptedFindings: { attempt: 1, text: 'findings of scan #1' } });
    expect(w.briefs['fix']![0]).toContain('## Findings of the tasks this one builds on (accepted by review)\n\n### scan: Find the cause\nfindings of scan #1');
    expect(w.briefs['scan']![0]).toContain('Finish with your findings');
    const types = (await store.events('r')).filter((e) => 'taskId' in e && e.taskId === 'scan').map((e) => e.type + ('status' in e ? `:${e.status}` : ''));
    expect(types).toEqual(expect.arrayContaining(['findings_reported', 'task_status:awaiting_review', 'review_decided', 'task_status:done']));
    expect(types.indexOf('findings_reported')).toBeLessThan(types.indexOf('review_decided'));
  });

  it('asks for rework with feedback, and passes on only the findings it accepted', async () => {
    const w = world({
      review: (id, attempt) => (id === 'scan' && attempt === 1 ? { decision: 'rework', reasons: ['no evidence'], feedback: 'Quote the line that sets the default.' } : accept),
      findings: (id, attempt) => (id === 'scan' ? (attempt === 1 ? 'Nothing to do.' : 'customer.ts:12 sets new Date(0)') : 'done'),
    });
    const writer = await scanThenFix();
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('succeeded');
    const [first, second] = w.briefs['scan']!;
    expect(first).not.toContain('rework requested');
    expect(second).toContain('## Review of attempt 1: rework requested\nQuote the line that sets the default.');
    expect(second).toContain("That attempt's findings (not accepted):\nNothing to do.");
    // The reviewer sees its own earlier verdict when it reviews the rework.
    const scanReviews = w.reviews.filter((r) => r.task.id === 'scan');
    expect(scanReviews.map((r) => r.earlier.map((e) => e.decision))).toEqual([[], ['rework']]);
    expect(w.briefs['fix']![0]).toContain('customer.ts:12 sets new Date(0)');
    expect(w.briefs['fix']![0]).not.toContain('Nothing to do.');
    expect((await store.state('r')).tasks['scan']).toMatchObject({ attempts: 2, acceptedFindings: { attempt: 2 } });
  });

  it('escalates after the rework limit, offering to accept the findings anyway', async () => {
    const w = world({ review: () => ({ decision: 'rework', reasons: ['vague'], feedback: 'Be specific.' }) });
    const writer = await scanThenFix();
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('escalated');
    const state = await store.state('r');
    expect(state.tasks['scan']).toMatchObject({ status: 'blocked', attempts: 3 });
    expect(state.tasks['scan']!.acceptedFindings).toBeUndefined();
    expect(state.escalations[0]).toMatchObject({ taskId: 'scan', options: ['approve', 'retry', 'skip'] });
    expect(w.briefs['fix']).toBeUndefined();
  });

  it('escalates to a human, holds the dependents, and applies the answer: retry with the note, then approve', async () => {
    let verdicts = 0;
    const w = world({ review: (id) => (id === 'scan' && verdicts++ < 2 ? { decision: 'escalate', reasons: ['the brief looks wrong'], feedback: 'The log points elsewhere.' } : accept) });
    const writer = await scanThenFix();
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('escalated');
    let state = await store.state('r');
    expect(state.tasks['scan']!.status).toBe('blocked');
    expect(state.escalations[0]).toMatchObject({ id: 'scan-1', options: ['approve', 'retry', 'reject', 'skip'] });
    expect(state.tasks['fix']!.status).toBe('pending');

    await store.recordHumanDecision('r', { decision: 'retry', escalationId: 'scan-1', taskId: 'scan', note: 'Look at the signup handler too.' });
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('escalated');
    expect(w.briefs['scan']![1]).toContain('A human asked for another attempt: Look at the signup handler too.');
    state = await store.state('r');
    // The answer to the first escalation is not applied again to the second.
    expect(state.escalations.map((e) => e.id)).toEqual(['scan-1', 'scan-2']);
    expect(state.tasks['scan']).toMatchObject({ status: 'blocked', attempts: 2 });
    expect(w.briefs['fix']).toBeUndefined();

    await store.recordHumanDecision('r', { decision: 'approve', escalationId: 'scan-2', taskId: 'scan', note: 'the findings hold' });
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('succeeded');
    state = await store.state('r');
    expect(state.tasks['scan']).toMatchObject({ status: 'done', reason: 'findings approved by a human: the findings hold', acceptedFindings: { attempt: 2, text: 'findings of scan #2' } });
    expect(w.briefs['fix']![0]).toContain('findings of scan #2');
    // The human's answer, not another review, settled it.
    expect(w.reviews.filter((r) => r.task.id === 'scan')).toHaveLength(2);
  });

  it('lets the dependents go on without findings a human skipped instead of accepting', async () => {
    const w = world({ review: (id) => (id === 'scan' ? { decision: 'escalate', reasons: ['unsure'] } : accept), findings: (id) => (id === 'scan' ? 'unreviewed guess' : 'done') });
    const writer = await scanThenFix();
    await executeRun({ store, writer, ports: w.ports, settings });
    await store.recordHumanDecision('r', { decision: 'skip', escalationId: 'scan-1', taskId: 'scan', note: 'we know the cause' });
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('succeeded');
    expect((await store.state('r')).tasks['scan']).toMatchObject({ status: 'skipped', findings: { text: 'unreviewed guess' } });
    expect(w.briefs['fix']![0]).not.toContain('unreviewed guess');
    expect(w.briefs['fix']![0]).not.toContain('## Findings');
  });

  it('fails the task when a human rejects the findings, and never passes them on', async () => {
    const w = world({ review: (id) => (id === 'scan' ? { decision: 'escalate', reasons: ['unsure'] } : accept) });
    const writer = await scanThenFix();
    await executeRun({ store, writer, ports: w.ports, settings });
    await store.recordHumanDecision('r', { decision: 'reject', escalationId: 'scan-1', taskId: 'scan' });
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('failed');
    expect((await store.state('r')).tasks['scan']).toMatchObject({ status: 'failed' });
    expect((await store.state('r')).tasks['scan']!.acceptedFindings).toBeUndefined();
    expect(w.briefs['fix']).toBeUndefined();
  });

  it('finishes findings the review accepted just before a process died, without running the task again', async () => {
    const w = world({ review: () => accept });
    const first = await scanThenFix();
    await first.appendMany([
      { type: 'task_started', taskId: 'scan', attempt: 1 },
      { type: 'findings_reported', taskId: 'scan', attempt: 1, findings: 'found before the kill' },
      { type: 'task_status', taskId: 'scan', status: 'awaiting_review' },
      { type: 'review_decided', taskId: 'scan', attempt: 1, decision: 'accept', reasons: ['ok'], by: 'reviewer', decisions: ['Logged once, after the resume'] },
    ]);
    await first.release(); // the process died here
    const { writer } = await store.resumeRun('r');
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('succeeded');
    expect(w.briefs['scan']).toBeUndefined();
    expect(w.briefs['fix']![0]).toContain('found before the kill');
    expect((await store.state('r')).decisions.entries.map((e) => e.text)).toEqual(['Logged once, after the resume']);
  });

  it('escalates a read-only task that changed files without reviewing or recording findings', async () => {
    const w = world({ review: () => accept, changes: () => true });
    const writer = await scanThenFix();
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('escalated');
    expect(w.reviews).toHaveLength(0);
    expect((await store.events('r')).some((e) => e.type === 'findings_reported')).toBe(false);
    expect((await store.state('r')).escalations[0]!.reason).toContain('read-only task scan changed files: src/scan.ts');
  });
});

describe('decisions in briefs and from the reviewer', () => {
  it('logs what an accepting reviewer decided together with the task done, and every later brief carries it', async () => {
    const w = world({ review: (id) => (id === 'scan' ? { ...accept, decisions: ['The clock is injected as now: () => Date'] } : accept) });
    const writer = await scanThenFix();
    await writer.append({ type: 'decision_logged', text: 'Keep the database schema as it is', source: 'planner', by: 'scripted:planner', planVersion: 1 });
    const batches: string[][] = [];
    // The engine queues its steps' events; each step's are stored together.
    const enqueue = writer.enqueue.bind(writer);
    writer.enqueue = (events) => (batches.push((Array.isArray(events) ? events : [events]).map((e: RunEventInput) => e.type)), enqueue(events));
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('succeeded');
    expect(batches).toContainEqual(['task_status', 'decision_logged']);
    expect((await store.state('r')).decisions.entries.map((e) => [e.id, e.source, e.taskId, e.text])).toEqual([
      [1, 'planner', undefined, 'Keep the database schema as it is'],
      [2, 'reviewer', 'scan', 'The clock is injected as now: () => Date'],
    ]);
    expect(w.briefs['scan']![0]).toContain('## Decisions so far');
    expect(w.briefs['scan']![0]).toContain('- D1: Keep the database schema as it is');
    expect(w.briefs['scan']![0]).not.toContain('D2');
    expect(w.briefs['fix']![0]).toContain('- D1: Keep the database schema as it is\n- D2: The clock is injected as now: () => Date');
    expect(w.reviews.find((r) => r.task.id === 'fix')!.decisions.map((d) => d.id)).toEqual([1, 2]);
  });

  it("logs a diff reviewer's decisions once, when the merge lands, and reports those the log cannot take", async () => {
    const w = world({ review: (id) => (id === 'fix' ? { ...accept, decisions: ['toCsv(rows) returns CRLF-terminated lines', 'x'.repeat(400)] } : accept) });
    const writer = await scanThenFix();
    expect((await executeRun({ store, writer, ports: w.ports, settings })).outcome).toBe('succeeded');
    const events = await store.events('r');
    const merged = events.findIndex((e) => e.type === 'merge_result' && e.ok);
    const logged = events.findIndex((e) => e.type === 'decision_logged');
    expect(logged).toBe(merged + 2);
    expect((await store.state('r')).decisions.entries.map((e) => e.text)).toEqual(['toCsv(rows) returns CRLF-terminated lines']);
    const refused = events.find((e) => e.type === 'task_event' && e.name === 'decision_not_logged');
    expect(refused).toMatchObject({ taskId: 'fix', isError: true });
    expect(refused?.type === 'task_event' && refused.detail).toContain('at most 300 characters (this one has 400)');
  });

  it('never lets a reviewer grow the log past its cap', async () => {
    const w = world({ review: (id) => (id === 'scan' ? { ...accept, decisions: ['one more'] } : accept) });
    const writer = await scanThenFix();
    await writer.appendMany(Array.from({ length: MAX_DECISIONS }, (_, i) => ({ type: 'decision_logged' as const, text: `decision ${i + 1}`, source: 'human' as const, by: 'ann' })));
    await executeRun({ store, writer, ports: w.ports, settings });
    expect((await store.state('r')).decisions.entries).toHaveLength(MAX_DECISIONS);
    const refused = (await store.events('r')).find((e) => e.type === 'task_event' && e.name === 'decision_not_logged');
    expect(refused?.type === 'task_event' && refused.detail).toContain(`holds ${MAX_DECISIONS} entries, its maximum`);
  });

  it('logs nothing a reviewer wanted with a verdict other than accept', async () => {
    const w = world({ review: (id, attempt) => (id === 'scan' && attempt === 1 ? { decision: 'rework', reasons: ['vague'], feedback: 'more', decisions: ['premature'] } : accept) });
    const writer = await scanThenFix();
    await executeRun({ store, writer, ports: w.ports, settings });
    expect((await store.state('r')).decisions.entries).toEqual([]);
  });
});
