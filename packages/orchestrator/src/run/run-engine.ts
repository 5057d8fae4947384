// Executes an approved plan: the scheduler picks ready tasks, each runs as an attempt in its
// own workspace, accepted work is integrated onto the run branch one task at a time with the
// gate tests after every merge, humans' decisions on escalations are applied, and the run ends
// with a recorded outcome. Every step is an event; state is re-derived from the log each turn,
// so a new process can pick up where a killed one stopped. Events that together make one step
// (a merge and the task's new status, an escalation and the blocked status) are appended
// atomically, so a kill never leaves half a step recorded.
import { RunBudgetExhaustedError, type RunBudget, type RunBudgetResource } from '@baton/worker-host';
import { reviewerDecisionEvents } from '../decisions/reviewer-decisions.ts';
import type { Task } from '../plan/plan-schema.ts';
import { checkBudget, type BudgetResource } from '../schedule/budget.ts';
import { wallTimeUsedMs } from '../schedule/budget-usage.ts';
import { scheduleTasks } from '../schedule/schedule-tasks.ts';
import type { RunEventInput, RunEventOf } from '../store/run-event.ts';
import { openEscalations, type RunState } from '../store/run-state.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import { StoreUsageError } from '../store/store-errors.ts';
import { runBranchName } from '../workspace/baton-paths.ts';
import type { EnginePorts } from './engine-ports.ts';
import { runTaskAttempt, type AttemptOutcome } from './task-attempt.ts';
import { pausePoint } from './test-pause.ts';

export interface EngineSettings {
  maxReworks: number;
  protectedPaths: readonly string[];
  /** Suites run on the run branch after every merge and as phase gates; empty: each phase's task tests. */
  gateSuites: readonly string[];
  /** Shown in commits and events, e.g. `scripted:demo-worker`. */
  workerModel: string;
}

export interface ExecuteRunOptions {
  store: RunStore;
  writer: RunWriter;
  ports: EnginePorts;
  settings: EngineSettings;
  signal?: AbortSignal;
  now?: () => number;
  /**
   * The run's shared budget, the one the ports' models are wrapped in (so every model call is
   * held to it); the engine stops scheduling once it is spent. Without it, budgets are checked
   * between tasks only.
   */
  budget?: RunBudget;
}

export type RunOutcome = RunEventOf<'run_finished'>['outcome'];

export interface RunResult {
  outcome: RunOutcome;
  branch: string;
  commit: string;
  summary: string;
}

export { runBranchName } from '../workspace/baton-paths.ts';

const RESOURCE_OF: Record<RunBudgetResource, BudgetResource> = { tokens: 'tokens', cost: 'usd', wall_time: 'wall' };

export async function executeRun(options: ExecuteRunOptions): Promise<RunResult> {
  const { store, writer, ports, settings } = options;
  const runId = writer.runId;
  const signal = options.signal ?? new AbortController().signal;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const priorWallMs = wallTimeUsedMs(await store.events(runId));
  // Ports report synchronously; the writer stores their events in order, and every read of the
  // run's state waits for them first (readState), so the engine always sees what it recorded.
  const emit = (event: RunEventInput) => writer.enqueue(event);
  const emitAll = (events: readonly RunEventInput[]) => writer.enqueue(events);
  const running = new Map<string, Promise<void>>();
  const reportedBudgets = new Set<string>();
  /** Budgets a model call was refused by (the run's shared budget said so): nothing more starts. */
  const budgetStopped = new Set<BudgetResource>();
  let integrationQueue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = integrationQueue.then(fn);
    integrationQueue = next.catch(() => undefined);
    return next;
  };

  const readState = async (): Promise<RunState & { plan: NonNullable<RunState['plan']> }> => {
    await writer.flush();
    const state = await store.state(runId);
    if (!state.plan || state.approvedVersion === undefined) {
      throw new StoreUsageError(`run ${runId} has no approved plan; approve it first (baton approve ${runId})`);
    }
    return state as RunState & { plan: NonNullable<RunState['plan']> };
  };
  const taskOf = (state: RunState & { plan: { tasks: Task[] } }, id: string): Task => state.plan.tasks.find((t) => t.id === id)!;

  /** The events that hand a task to a human: the escalation and the blocked status, appended together. */
  const escalationEvents = async (task: Task, reason: string, options: string[]): Promise<RunEventInput[]> => {
    // Numbered per task, so a task escalated again (say, after a human approved a conflicting diff) gets a fresh id.
    const n = (await readState()).escalations.filter((e) => e.taskId === task.id).length + 1;
    return [
      { type: 'escalation_raised', escalationId: `${task.id}-${n}`, taskId: task.id, reason, options },
      { type: 'task_status', taskId: task.id, status: 'blocked', reason },
    ];
  };
  const escalate = async (task: Task, reason: string, options: string[]) => emitAll(await escalationEvents(task, reason, options));

  async function runGateSuites(suites: readonly string[], context: 'merge' | 'gate', taskId?: string): Promise<{ passed: boolean; summary: string }> {
    if (suites.length === 0) return { passed: true, summary: 'no gate suites configured' };
    const dir = await ports.integration.checkoutDir(runId);
    const results = await ports.tests.run({ dir, suites, signal });
    for (const r of results) emit({ type: 'test_result', suite: r.suite, passed: r.passed, context, summary: r.summary, durationMs: r.durationMs, ...(taskId ? { taskId } : {}) });
    const failing = results.filter((r) => !r.passed);
    return { passed: failing.length === 0, summary: failing.map((r) => `${r.suite}: ${r.summary}`).join('\n') || 'all passed' };
  }

  async function integrate(task: Task, attempt: number, taskCommit: string): Promise<void> {
    await serialized(async () => {
      const before = await ports.integration.tip(runId);
      const merged = await ports.integration.integrate({ runId, task, taskCommit, emit, signal });
      if (merged.kind === 'conflict') {
        emitAll([{ type: 'merge_result', taskId: task.id, ok: false, conflictFiles: merged.files }, ...(await escalationEvents(task, `could not integrate onto ${runBranchName(runId)}: ${merged.reason}`, ['retry', 'skip', 'take_over']))]);
        return;
      }
      pausePoint('integrate.merged');
      const gate = await runGateSuites(settings.gateSuites, 'merge', task.id);
      if (!gate.passed) {
        await ports.integration.reset({ runId, commit: before });
        emitAll([
          { type: 'merge_result', taskId: task.id, ok: false, conflictFiles: [] },
          ...(await reworkOrEscalation(task, attempt, {
            kind: 'rework',
            reasons: ['tests_failed_after_merge'],
            feedback: `Your change passed on its own but breaks the tests once combined with the other accepted work on the run branch:\n${gate.summary}`,
          })),
        ]);
        return;
      }
      // The log, not the branch, is the truth (see prepare below): the merge counts once this is recorded,
      // and the decisions the review logged with the work count from then on.
      emitAll([
        { type: 'merge_result', taskId: task.id, ok: true, commit: merged.commit, resolvedBy: merged.resolvedBy },
        { type: 'task_status', taskId: task.id, status: 'done' },
        ...reviewerDecisionEvents({ state: await readState(), taskId: task.id, attempt }),
      ]);
    });
  }

  async function reworkOrEscalation(task: Task, attempt: number, outcome: Extract<AttemptOutcome, { kind: 'rework' }>): Promise<RunEventInput[]> {
    // A human may still accept findings the reviewer kept sending back; a diff they take over or retry.
    const options = task.write_scope.length === 0 ? ['approve', 'retry', 'skip'] : ['retry', 'skip', 'take_over'];
    if (attempt > settings.maxReworks) return escalationEvents(task, `still not accepted after ${attempt} attempts; last feedback: ${outcome.feedback}`, options);
    return [{ type: 'task_status', taskId: task.id, status: 'rework', reason: outcome.feedback }];
  }

  /** A task whose review accepted a commit that never reached the run branch (a kill, a spent budget): integrate it, no redo. */
  async function integrateAccepted(taskId: string, commit: string): Promise<void> {
    const state = await readState();
    return integrate(taskOf(state, taskId), state.tasks[taskId]?.attempts ?? 1, commit).catch((error: unknown) => stopOrEscalate(taskOf(state, taskId), state.tasks[taskId]?.attempts ?? 1, error));
  }

  /** What a task does when baton (not the worker) failed under it: wait for budget, or go to a human. */
  async function stopOrEscalate(task: Task, attempt: number, error: unknown): Promise<void> {
    if (error instanceof RunBudgetExhaustedError) {
      budgetStopped.add(RESOURCE_OF[error.resource]);
      emit({ type: 'task_status', taskId: task.id, status: 'pending', reason: `stopped: ${error.message}` });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    emit({ type: 'task_event', taskId: task.id, attempt, kind: 'error', isError: true, detail: message });
    await escalate(task, `baton failed while running the task (not the worker's fault): ${message}`, ['retry', 'skip']);
  }

  async function runTask(taskId: string): Promise<void> {
    const state = await readState();
    const task = taskOf(state, taskId);
    const attempt = (state.tasks[taskId]?.attempts ?? 0) + 1;
    try {
      const decisions = async () => (await readState()).decisions.entries;
      const outcome = await runTaskAttempt({ runId, state, task, attempt, protectedPaths: settings.protectedPaths, modelLabel: settings.workerModel, ports, emit, signal, decisions });
      switch (outcome.kind) {
        case 'accepted':
          return await integrate(task, attempt, outcome.commit);
        case 'findings_accepted':
          return emitAll([{ type: 'task_status', taskId, status: 'done', reason: 'findings accepted by the reviewer' }, ...reviewerDecisionEvents({ state: await readState(), taskId, attempt })]);
        case 'rework':
          return emitAll(await reworkOrEscalation(task, attempt, outcome));
        case 'escalate':
          return await escalate(task, outcome.reason, outcome.options);
        case 'budget_stopped':
          budgetStopped.add(RESOURCE_OF[outcome.resource]);
          return emit({ type: 'task_status', taskId, status: 'pending', reason: outcome.reason });
        case 'cancelled':
          return;
      }
    } catch (error) {
      await stopOrEscalate(task, attempt, error);
    }
  }

  /** Turns humans' answers to escalations into task states (and integrates approved diffs). */
  async function applyDecisions(state: Awaited<ReturnType<typeof readState>>): Promise<void> {
    // A task's answered escalation counts until the task is escalated again: the answer to an
    // earlier one must not be applied to the new one.
    const latest = new Map(state.escalations.filter((e) => e.taskId !== undefined).map((e) => [e.taskId, e.id]));
    for (const escalation of state.escalations) {
      if (escalation.taskId !== undefined && latest.get(escalation.taskId) !== escalation.id) continue;
      const gatePhase = /^gate-(\d+)$/.exec(escalation.id)?.[1];
      if (gatePhase !== undefined && escalation.resolution?.decision === 'approve' && state.gates[Number(gatePhase)]?.passed === false) {
        emit({ type: 'gate_result', phase: Number(gatePhase), passed: true, suites: [], summary: `failed, then passed by a human's decision${escalation.resolution.note ? `: ${escalation.resolution.note}` : ''}` });
        continue;
      }
      const taskId = escalation.taskId;
      if (!escalation.resolution || !taskId || state.tasks[taskId]?.status !== 'blocked') continue;
      const task = taskOf(state, taskId);
      const note = escalation.resolution.note ? `: ${escalation.resolution.note}` : '';
      switch (escalation.resolution.decision) {
        case 'approve': {
          const commit = state.tasks[taskId]!.commit;
          if (commit) await integrate(task, state.tasks[taskId]!.attempts, commit).catch((error: unknown) => stopOrEscalate(task, state.tasks[taskId]!.attempts, error));
          else emit({ type: 'task_status', taskId, status: 'done', reason: `${state.tasks[taskId]!.findings ? 'findings ' : ''}approved by a human${note}` });
          break;
        }
        case 'retry':
          emitAll([
            { type: 'review_decided', taskId, attempt: state.tasks[taskId]!.attempts, decision: 'rework', reasons: ['human_decision'], by: 'human', feedback: `A human asked for another attempt${note}` },
            { type: 'task_status', taskId, status: 'rework', reason: `human asked for rework${note}` },
          ]);
          break;
        case 'skip':
        case 'take_over':
          emit({ type: 'task_status', taskId, status: 'skipped', reason: `${escalation.resolution.decision === 'skip' ? 'skipped' : 'taken over'} by a human${note}` });
          break;
        case 'reject':
        case 'abort':
          emit({ type: 'task_status', taskId, status: 'failed', reason: `rejected by a human${note}` });
          break;
      }
    }
  }

  async function runGate(state: Awaited<ReturnType<typeof readState>>, phase: number): Promise<void> {
    const suites = settings.gateSuites.length > 0 ? settings.gateSuites : [...new Set(state.plan.tasks.filter((t) => t.phase === phase).flatMap((t) => t.tests))];
    const gate = await runGateSuites(suites, 'gate');
    emitAll([
      { type: 'gate_result', phase, passed: gate.passed, suites: [...suites], summary: gate.summary },
      ...(gate.passed ? [] : [{ type: 'escalation_raised' as const, escalationId: `gate-${phase}`, reason: `the phase ${phase} gate failed, so phase ${phase + 1} waits:\n${gate.summary}`, options: ['approve', 'abort'] }]),
    ]);
  }

  // The log, not the branch, is the truth: a merge a killed process made but never recorded is undone.
  const merges = (await store.events(runId)).filter((e) => e.type === 'merge_result' && e.ok && e.commit !== undefined);
  const lastMerge = merges.at(-1);
  await ports.integration.prepare(runId, lastMerge?.type === 'merge_result' && lastMerge.commit ? lastMerge.commit : (await readState()).baseCommit);
  // Finish what a killed process had accepted but not integrated, in the order it was accepted.
  const accepted = Object.values((await readState()).tasks)
    .filter((t) => t.accepted !== undefined && t.status === 'pending')
    .sort((a, b) => a.accepted!.seq - b.accepted!.seq);
  await Promise.all(accepted.map((t) => integrateAccepted(t.id, t.accepted!.commit)));
  // Likewise findings the review accepted just before a process died: the task is done, not redone.
  for (const t of Object.values((await readState()).tasks)) {
    const review = t.lastReview;
    if (t.status !== 'pending' || !t.findings || review?.decision !== 'accept' || review.attempt !== t.attempts || t.findings.attempt !== t.attempts) continue;
    emitAll([{ type: 'task_status', taskId: t.id, status: 'done', reason: 'findings accepted by the reviewer' }, ...reviewerDecisionEvents({ state: await readState(), taskId: t.id, attempt: t.attempts })]);
  }

  for (;;) {
    let state = await readState();
    await applyDecisions(state);
    state = await readState();
    const budget = checkBudget({ budgets: state.budgets, usage: state.usage, startedAt, now: now(), priorWallMs });
    const spent = options.budget?.exhausted();
    if (spent) budgetStopped.add(RESOURCE_OF[spent]);
    for (const resource of budgetStopped) if (!budget.exhausted.includes(resource)) budget.exhausted.push(resource);
    for (const resource of budget.exhausted) {
      if (reportedBudgets.has(resource)) continue;
      reportedBudgets.add(resource);
      const limit = resource === 'tokens' ? state.budgets.tokens : resource === 'usd' ? state.budgets.usd : state.budgets.wallSeconds;
      const used = resource === 'tokens' ? budget.used.tokens : resource === 'usd' ? budget.used.usd : budget.used.wallSeconds;
      emit({ type: 'budget', level: 'exhausted', resource, used, limit: limit ?? 0 });
    }
    if (signal.aborted) break;
    const decision = scheduleTasks({ plan: state.plan, state, maxWorkers: state.maxWorkers, running: new Set(running.keys()), budget });
    if (running.size === 0 && decision.gatesDue.length > 0) {
      for (const phase of decision.gatesDue) await runGate(state, phase);
      continue;
    }
    for (const taskId of decision.start) {
      running.set(taskId, runTask(taskId).finally(() => running.delete(taskId)));
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  await Promise.allSettled(running.values());
  await integrationQueue;

  const state = await readState();
  const tip = await ports.integration.tip(runId);
  const outcome = finalOutcome(state, signal.aborted, reportedBudgets.size > 0);
  const summary = summarize(state, outcome);
  await writer.append({ type: 'run_finished', outcome, summary, branch: runBranchName(runId), commit: tip });
  return { outcome, branch: runBranchName(runId), commit: tip, summary };
}

function finalOutcome(state: RunState & { plan: { tasks: Task[] } }, cancelled: boolean, budgetExhausted: boolean): RunOutcome {
  if (cancelled) return 'cancelled';
  const statuses = state.plan.tasks.map((t) => state.tasks[t.id]?.status ?? 'pending');
  if (statuses.every((s) => s === 'done' || s === 'skipped')) return 'succeeded';
  if (budgetExhausted) return 'budget_exhausted';
  const waitingOnHuman = openEscalations(state).length > 0 || state.plan.tasks.some((t) => t.needs_approval && state.tasks[t.id]?.approval === undefined && state.tasks[t.id]?.status === 'pending');
  return waitingOnHuman ? 'escalated' : 'failed';
}

function summarize(state: RunState & { plan: { tasks: Task[] } }, outcome: RunOutcome): string {
  const count = (status: string) => state.plan.tasks.filter((t) => state.tasks[t.id]?.status === status).length;
  const parts = [`${count('done')}/${state.plan.tasks.length} tasks done`];
  for (const status of ['failed', 'blocked', 'skipped', 'pending', 'rework'] as const) {
    const n = count(status);
    if (n > 0) parts.push(`${n} ${status}`);
  }
  const open = openEscalations(state).length;
  if (open > 0) parts.push(`${open} escalation(s) waiting for a human (baton escalations)`);
  return `${outcome}: ${parts.join(', ')}`;
}
