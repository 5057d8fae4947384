// The stages of a run as the CLI drives them: create a run, plan it (the user's checkout is
// only read), and execute an approved run with real workspaces, tool hosts, workers, tests,
// reviewer and merge worker. Each stage can be run again after a kill: planning starts over
// on the same run, execution first clears what a killed process left, and cleanup after the
// run finished is repeated until it is done.
import { languageServerSpecs } from '@baton/mcp-tools';
import { budgetedModel, createRunBudget, isAgentCliModel, RunBudgetExhaustedError, type ModelClient, type ModelUsage, type RunBudget } from '@baton/worker-host';
import type { BatonConfig } from '../config/config-schema.ts';
import { decisionRoom } from '../decisions/decision-change.ts';
import type { DecisionEntry } from '../decisions/decision-log.ts';
import { orphanedPlannerDecisionEvents, plannerDecisionEvents } from '../decisions/planner-decisions.ts';
import { commitPatch, git, gitOut } from '../git/run-git.ts';
import { planTicket, type PlannerOutcome } from '../plan/planner.ts';
import { gatherRepoMetadata } from '../planner/repo-metadata.ts';
import { largestModelCall, wallTimeUsedMs } from '../schedule/budget-usage.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import { cleanUpFinishedRun, repairRunCheckouts, type FinishedRunCleanup } from '../workspace/run-checkouts.ts';
import { addRunWorktree, removeRunWorktree, type WarmPolicy } from '../workspace/run-worktrees.ts';
import { NO_PROVISIONS, resolveProvisions, type WorkspaceProvisions } from '../workspace/workspace-provisions.ts';
import type { WorkflowName } from '../workflows/workflow.ts';
import type { EnginePorts } from './engine-ports.ts';
import { createRunBranch, gitIntegration, type MergeWorker } from './git-integration.ts';
import { gitWorkspaces } from './git-workspaces.ts';
import { modelReviewer } from './model-reviewer.ts';
import { modelWorker } from './model-worker.ts';
import { asPlannerModel, costOf, type WorkerModel } from './models.ts';
import { executeRun, type RunResult } from './run-engine.ts';
import { renderMergeBrief } from './task-brief.ts';
import { pausePoint } from './test-pause.ts';
import { toolTests } from './tool-tests.ts';

export interface RunModels {
  planner: ModelClient;
  worker: WorkerModel;
  reviewer: ModelClient;
}

export interface CreateRunOptions {
  repo: string;
  store: RunStore;
  ticket: string;
  workflow: WorkflowName;
  maxWorkers: number;
  budgets: { tokens?: number; usd?: number; wallSeconds?: number };
  /** Approve the plan without asking (baton run --yes), also when a resume finishes the planning. */
  autoApprove: boolean;
  runId?: string;
}

/** Records a new run on the user's current commit (read only) and holds its lock. */
export async function createRun(options: CreateRunOptions): Promise<RunWriter> {
  const { repo, store } = options;
  const baseCommit = await gitOut(['rev-parse', 'HEAD'], { cwd: repo });
  const baseBranch = (await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repo, allowFailure: true })).stdout.trim();
  return store.createRun({
    ...(options.runId ? { runId: options.runId } : {}),
    ticket: options.ticket,
    workflow: options.workflow,
    baseCommit,
    ...(baseBranch ? { baseBranch } : {}),
    budgets: options.budgets,
    maxWorkers: options.maxWorkers,
    autoApprove: options.autoApprove,
  });
}

export type PlanRunResult =
  | { kind: 'planned'; outcome: Extract<PlannerOutcome, { kind: 'planned' }> }
  /** Planning failed and the run is recorded as finished (failed, or budget_exhausted); `advice` says what to do. */
  | { kind: 'failed'; outcome: 'failed' | 'budget_exhausted'; reason: string; problems: string[]; advice: string };

export interface PlanRunOptions {
  repo: string;
  store: RunStore;
  writer: RunWriter;
  config: BatonConfig;
  planner: ModelClient;
}

/**
 * Plans a run that has no plan: new, killed while planning, or whose planning failed. The
 * planner reads the base commit in a checkout of its own (never the user's working tree, which
 * may hold uncommitted changes) through a read-only grant. A failed planning finishes the run as
 * failed, saying how to go on: plan again with `baton resume`, or write the plan by hand.
 */
export async function planRun(options: PlanRunOptions): Promise<PlanRunResult> {
  const { repo, store, writer, config } = options;
  const runId = writer.runId;
  // Decisions a killed planning logged for a plan it never stored go first (planning again logs its own).
  const orphans = orphanedPlannerDecisionEvents(store.state(runId));
  if (orphans.length > 0) writer.appendMany(orphans);
  const state = store.state(runId);
  const advice = `plan again with baton resume ${runId} (--planner to change the model), or write the plan by hand with baton plan edit ${runId}, then baton approve ${runId} && baton resume ${runId}`;
  const fail = (outcome: 'failed' | 'budget_exhausted', reason: string, problems: string[] = []): PlanRunResult => {
    writer.append({ type: 'run_finished', outcome, summary: `planning failed: ${reason}; ${advice}`, branch: `baton/${runId}` });
    return { kind: 'failed', outcome, reason, problems, advice };
  };
  await repairRunCheckouts(repo, runId, { crashedProcessSince: crashedProcessStart(writer) });
  const plannerLabel = `${options.planner.provider}:${options.planner.model}`;
  const costOfCall = (usage: ModelUsage) => costOf(options.planner, usage, config.prices);
  const held = budgetedModel(options.planner, runBudgetFor(store, runId), { costOf: costOfCall });
  // Each call is recorded as it returns, so what a planning killed or failed midway spent still counts.
  const planner = asPlannerModel({
    ...held,
    async complete(request) {
      const turn = await held.complete(request);
      writer.append({ type: 'model_usage', role: 'planner', model: plannerLabel, usage: { inputTokens: turn.usage.inputTokens, outputTokens: turn.usage.outputTokens }, costUsd: costOfCall(turn.usage), calls: 1 });
      return turn;
    },
  });
  let outcome: PlannerOutcome;
  try {
    await createRunBranch(repo, runId, state.baseCommit);
    const checkout = await addRunWorktree({ repo, runId, leaf: 'planning', start: { kind: 'detached', commit: state.baseCommit }, warm: warmPolicy(config) });
    let metadata;
    try {
      metadata = await gatherRepoMetadata({ root: checkout, ticket: state.ticket, readScope: config.defaultReadScope });
    } finally {
      await removeRunWorktree({ repo, dir: checkout });
    }
    pausePoint('plan.model');
    outcome = await planTicket({
      model: planner,
      ticket: state.ticket,
      workflow: state.workflow,
      repo: metadata,
      knownTests: Object.keys(config.tests),
      decisions: { current: state.decisions.entries, room: decisionRoom(state.decisions) },
      onAttempt: (attempt) => {
        if (attempt.problems.length > 0) writer.append({ type: 'plan_invalid', attempt: attempt.attempt, problems: attempt.problems.map((p) => `${p.path}: ${p.message}`), ...(attempt.submitted !== undefined ? { submitted: attempt.submitted } : {}) });
      },
    });
  } catch (error) {
    if (error instanceof RunBudgetExhaustedError) return fail('budget_exhausted', error.message);
    return fail('failed', error instanceof Error ? error.message : String(error));
  }
  if (outcome.kind === 'invalid') {
    const problems = outcome.problems.map((p) => `${p.path || '(plan)'}: ${p.message}`);
    return fail('failed', `the planner produced no valid plan after ${outcome.attempts.length} attempt(s)`, problems);
  }
  const decisions = plannerDecisionEvents({ state: store.state(runId), decisions: outcome.decisions, by: plannerLabel });
  if (decisions.length > 0) writer.appendMany(decisions);
  pausePoint('plan.decisions');
  writer.proposePlan({ plan: outcome.plan, source: 'proposed', warnings: outcome.warnings.map((w) => `${w.path}: ${w.message}`), by: plannerLabel });
  pausePoint('plan.proposed');
  return { kind: 'planned', outcome };
}

/**
 * The run's shared budget as this process starts on it: its limits, what the run spent so far
 * (all earlier calls and processes), the largest call seen and the wall time already worked.
 */
export function runBudgetFor(store: RunStore, runId: string, now?: () => number): RunBudget {
  const state = store.state(runId);
  const events = store.events(runId);
  const largest = largestModelCall(events);
  return createRunBudget({
    limits: {
      ...(state.budgets.tokens !== undefined ? { tokens: state.budgets.tokens } : {}),
      ...(state.budgets.usd !== undefined ? { costUsd: state.budgets.usd } : {}),
      ...(state.budgets.wallSeconds !== undefined ? { wallMs: state.budgets.wallSeconds * 1000 } : {}),
    },
    spent: { tokens: state.usage.totalTokens, costUsd: state.usage.costUsd },
    ...(largest ? { largestCall: largest } : {}),
    elapsedMs: wallTimeUsedMs(events),
    ...(now ? { now } : {}),
  });
}

export interface ExecuteApprovedRunOptions {
  repo: string;
  store: RunStore;
  writer: RunWriter;
  config: BatonConfig;
  models: RunModels;
  signal?: AbortSignal;
}

/**
 * The engine's ports on a real repository, with every model call held to the run's budget: model
 * clients through budgetedModel, an agent CLI worker through its meter, which admits each call
 * the CLI makes against the same budget.
 */
export function enginePorts(options: { repo: string; config: BatonConfig; models: RunModels; budget: RunBudget; provisions?: WorkspaceProvisions; decisions?: (runId: string) => readonly DecisionEntry[] }): EnginePorts {
  const { repo, config, budget } = options;
  const provisions = options.provisions ?? NO_PROVISIONS;
  const held = (model: ModelClient) => budgetedModel(model, budget, { costOf: (usage) => costOf(model, usage, config.prices) });
  const models = { worker: isAgentCliModel(options.models.worker) ? options.models.worker : held(options.models.worker), reviewer: held(options.models.reviewer) };
  const limits = { maxTurns: config.budgets.perTaskTurns, maxTokens: config.budgets.perTaskTokens };
  const worker = modelWorker({
    modelFor: () => models.worker,
    budget: limits,
    runBudget: budget,
    testCommands: config.tests,
    protectedPaths: config.protectedPaths,
    costOf: (model, usage) => costOf(model, usage, config.prices),
    testLinks: provisions.links,
    ...(config.languageServers.length > 0 ? { languageServers: languageServerSpecs(config.languageServers) } : {}),
  });
  const workspaces = gitWorkspaces({ repo, warm: warmPolicy(config), provisions });
  const mergeWorker: MergeWorker = async ({ runId, task, taskCommit, tip, conflictFiles, emit, signal }) => {
    const mergeTask = { ...task, id: `${task.id}.merge`, role: 'merge', write_scope: conflictFiles };
    const workspace = await workspaces.create({ runId, task: mergeTask, attempt: 1, fromCommit: tip });
    try {
      const taskDiff = await commitPatch(repo, ['show', '--format=', '--patch', taskCommit]);
      const branchDiff = await commitPatch(repo, ['diff', `${taskCommit}~1`, tip, '--', ...conflictFiles]);
      const brief = renderMergeBrief({ ticket: '', task, taskDiff, branchDiff, conflictFiles, decisions: options.decisions?.(runId) ?? [] });
      const result = await worker.run({ runId, task: mergeTask, attempt: 1, brief, workspace, emit: (e) => emit('taskId' in e && e.taskId === mergeTask.id ? { ...e, taskId: task.id } as typeof e : e), signal });
      if (result.kind === 'budget_exhausted' && result.scope === 'run') {
        // Not a conflict nobody could reconcile: the run ran out. The accepted task waits for a resume.
        throw budget.exhaustedError() ?? new Error(`the merge worker stopped: the run's ${result.which} budget is spent`);
      }
      if (result.kind !== 'completed') return undefined;
      const committed = await workspaces.commit({ workspace, message: `Reconcile ${task.id} with the run branch [${task.id}]\n\nBaton-Run: ${runId}\nBaton-Task: ${task.id}\nBaton-Merge: ${taskCommit}` });
      return committed?.commit;
    } finally {
      await workspaces.remove(workspace);
    }
  };
  return {
    workspaces,
    worker,
    tests: toolTests({ testCommands: config.tests, links: provisions.links }),
    reviewer: modelReviewer({ model: asPlannerModel(models.reviewer), modelLabel: `${options.models.reviewer.provider}:${options.models.reviewer.model}`, costOf: (usage) => costOf(options.models.reviewer, { cacheReadTokens: 0, cacheWriteTokens: 0, ...usage }, config.prices) }),
    integration: gitIntegration({ repo, mergeWorker, warm: warmPolicy(config), provisions }),
  };
}

/**
 * Executes an approved run: clears what a killed process of this run left behind, runs the
 * engine, and once the run is finished removes its checkouts and task branches (the run
 * branch stays). A process killed during that cleanup leaves it to `baton resume`.
 */
export async function executeApprovedRun(options: ExecuteApprovedRunOptions): Promise<RunResult> {
  const { config, repo, store, writer } = options;
  const runId = writer.runId;
  await repairRunCheckouts(repo, runId, { crashedProcessSince: crashedProcessStart(writer) });
  const budget = runBudgetFor(store, runId);
  const provisions = await resolveProvisions(repo, config.workspace);
  let finished = false;
  try {
    const result = await executeRun({
      store,
      writer,
      ports: enginePorts({ repo, config, models: options.models, budget, provisions, decisions: (id) => store.state(id).decisions.entries }),
      settings: {
        maxReworks: config.maxReworks,
        protectedPaths: config.protectedPaths,
        gateSuites: config.gateTest ? [config.gateTest] : [],
        workerModel: `${options.models.worker.provider}:${options.models.worker.model}`,
      },
      budget,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    finished = true;
    return result;
  } finally {
    if (finished) {
      pausePoint('run.finished');
      await cleanUpRun(repo, store, writer);
    } else {
      // Stopped by an error: the checkouts go (a resume makes fresh ones); task branches stay for it.
      await repairRunCheckouts(repo, runId).catch(() => undefined);
    }
  }
}

/** After a run finished: its checkouts and task branches go; each task's last commit stays reachable. */
export async function cleanUpRun(repo: string, store: RunStore, writer: RunWriter): Promise<FinishedRunCleanup> {
  const state = store.state(writer.runId);
  const taskCommits: Record<string, string> = {};
  for (const [taskId, task] of Object.entries(state.tasks)) if (task.commit !== undefined) taskCommits[taskId] = task.commit;
  return cleanUpFinishedRun({ repo, runId: writer.runId, taskCommits, crashedProcessSince: crashedProcessStart(writer) });
}

/** Whether checkouts come from the warm worktrees, and how many of those stay between tasks. */
export function warmPolicy(config: BatonConfig): WarmPolicy {
  return { use: config.workspace.warm, keep: config.workspace.keepWarm ?? config.maxWorkers + 2 };
}

/** When the process this writer took the run over from started, if it died holding the run. */
function crashedProcessStart(writer: RunWriter): Date | undefined {
  return writer.takenOverFrom ? new Date(writer.takenOverFrom.acquiredAt) : undefined;
}
