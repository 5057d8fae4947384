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
import { gitCommonDir } from '../workspace/baton-paths.ts';
import { addRunWorktree, removeRunWorktree, type WarmPolicy } from '../workspace/run-worktrees.ts';
import { warmWanted } from '../workspace/warm-slots.ts';
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
import { cleanUpRemoteRun, distributedPorts, nodeSettings } from '../cluster/distributed-ports.ts';
import type { RemoteRetry } from '../cluster/git-remote.ts';
import type { TaskJob, TaskQueue } from '../cluster/task-queue.ts';
import { STORE_URL_ENV } from '../store/open-store.ts';
import { StoreUsageError } from '../store/store-errors.ts';

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
  /** The run's tasks run on worker nodes; their commits travel through this remote. */
  distributed?: { remote: string };
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
    ...(options.distributed ? { distributed: options.distributed } : {}),
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
  const orphans = orphanedPlannerDecisionEvents(await store.state(runId));
  if (orphans.length > 0) await writer.appendMany(orphans);
  const state = await store.state(runId);
  const advice = `plan again with baton resume ${runId} (--planner to change the model), or write the plan by hand with baton plan edit ${runId}, then baton approve ${runId} && baton resume ${runId}`;
  const fail = async (outcome: 'failed' | 'budget_exhausted', reason: string, problems: string[] = []): Promise<PlanRunResult> => {
    await writer.append({ type: 'run_finished', outcome, summary: `planning failed: ${reason}; ${advice}`, branch: `baton/${runId}` });
    return { kind: 'failed', outcome, reason, problems, advice };
  };
  await repairRunCheckouts(repo, runId, { crashedProcessSince: crashedProcessStart(writer) });
  const plannerLabel = `${options.planner.provider}:${options.planner.model}`;
  const costOfCall = (usage: ModelUsage) => costOf(options.planner, usage, config.prices);
  const held = budgetedModel(options.planner, await runBudgetFor(store, runId), { costOf: costOfCall });
  // Each call is recorded as it returns, so what a planning killed or failed midway spent still counts.
  const planner = asPlannerModel({
    ...held,
    async complete(request) {
      const turn = await held.complete(request);
      await writer.append({ type: 'model_usage', role: 'planner', model: plannerLabel, usage: { inputTokens: turn.usage.inputTokens, outputTokens: turn.usage.outputTokens }, costUsd: costOfCall(turn.usage), calls: 1 });
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
        if (attempt.problems.length > 0) writer.enqueue({ type: 'plan_invalid', attempt: attempt.attempt, problems: attempt.problems.map((p) => `${p.path}: ${p.message}`), ...(attempt.submitted !== undefined ? { submitted: attempt.submitted } : {}) });
      },
    });
  } catch (error) {
    if (error instanceof RunBudgetExhaustedError) return await fail('budget_exhausted', error.message);
    return await fail('failed', error instanceof Error ? error.message : String(error));
  }
  if (outcome.kind === 'invalid') {
    const problems = outcome.problems.map((p) => `${p.path || '(plan)'}: ${p.message}`);
    return await fail('failed', `the planner produced no valid plan after ${outcome.attempts.length} attempt(s)`, problems);
  }
  const decisions = plannerDecisionEvents({ state: await store.state(runId), decisions: outcome.decisions, by: plannerLabel });
  if (decisions.length > 0) await writer.appendMany(decisions);
  pausePoint('plan.decisions');
  await writer.proposePlan({ plan: outcome.plan, source: 'proposed', warnings: outcome.warnings.map((w) => `${w.path}: ${w.message}`), by: plannerLabel });
  pausePoint('plan.proposed');
  return { kind: 'planned', outcome };
}

/**
 * The run's shared budget as this process starts on it: its limits, what the run spent so far
 * (all earlier calls and processes), the largest call seen and the wall time already worked.
 */
export async function runBudgetFor(store: RunStore, runId: string, now?: () => number): Promise<RunBudget> {
  const state = await store.state(runId);
  const events = await store.events(runId);
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
  /** For a run whose tasks run on worker nodes: the job queue, and the worker as nodes resolve it. */
  cluster?: { queue: TaskQueue; workerId: string; remoteRetry?: RemoteRetry };
}

/**
 * The engine's ports on a real repository, with every model call held to the run's budget: model
 * clients through budgetedModel, an agent CLI worker through its meter, which admits each call
 * the CLI makes against the same budget.
 */
export function enginePorts(options: { repo: string; config: BatonConfig; models: RunModels; budget: RunBudget; provisions?: WorkspaceProvisions; decisions?: (runId: string) => Promise<readonly DecisionEntry[]> }): EnginePorts {
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
      const brief = renderMergeBrief({ ticket: '', task, taskDiff, branchDiff, conflictFiles, decisions: (await options.decisions?.(runId)) ?? [] });
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
  const budget = await runBudgetFor(store, runId);
  const provisions = await resolveProvisions(repo, config.workspace);
  const distributed = (await store.state(runId)).distributed;
  let ports = enginePorts({ repo, config, models: options.models, budget, provisions, decisions: async (id) => (await store.state(id)).decisions.entries });
  let closePorts = () => {};
  if (distributed) {
    const cluster = store.cluster;
    if (!cluster || !options.cluster) throw new StoreUsageError(`run ${runId} runs its tasks on worker nodes: drive it with its PostgreSQL store (--store postgres://… or ${STORE_URL_ENV})`);
    const nodes = await distributedPorts({ ports, store, cluster, writer, repo, remote: distributed.remote, queue: options.cluster.queue, settings: nodeSettings(config, options.cluster.workerId, await nodeWorkspace(repo, config, provisions)), ...(options.cluster.remoteRetry ? { remoteRetry: options.cluster.remoteRetry } : {}) });
    ports = nodes.ports;
    closePorts = nodes.close;
  }
  let finished = false;
  try {
    const result = await executeRun({
      store,
      writer,
      ports,
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
    closePorts();
    if (finished) {
      pausePoint('run.finished');
      await cleanUpRun(repo, store, writer);
      if (distributed) await cleanUpRemoteRun({ repo, remote: distributed.remote, runId }).catch(() => undefined);
    } else {
      // Stopped by an error: the checkouts go (a resume makes fresh ones); task branches stay for it.
      await repairRunCheckouts(repo, runId).catch(() => undefined);
    }
  }
}

/** After a run finished: its checkouts and task branches go; each task's last commit stays reachable. */
export async function cleanUpRun(repo: string, store: RunStore, writer: RunWriter): Promise<FinishedRunCleanup> {
  const state = await store.state(writer.runId);
  const taskCommits: Record<string, string> = {};
  for (const [taskId, task] of Object.entries(state.tasks)) if (task.commit !== undefined) taskCommits[taskId] = task.commit;
  return cleanUpFinishedRun({ repo, runId: writer.runId, taskCommits, crashedProcessSince: crashedProcessStart(writer) });
}

/** Whether checkouts come from the warm worktrees, and how many of those stay between tasks. */
export function warmPolicy(config: BatonConfig): WarmPolicy {
  return { use: config.workspace.warm, keep: config.workspace.keepWarm ?? config.maxWorkers + 2 };
}

/** The workspace settings as worker nodes get them: warm or not as decided on this checkout (a node's clone is bare), and the setup command. */
async function nodeWorkspace(repo: string, config: BatonConfig, provisions: WorkspaceProvisions): Promise<NonNullable<TaskJob['settings']['workspace']>> {
  const policy = warmPolicy(config);
  return { warm: warmWanted(await gitCommonDir(repo), policy), keep: policy.keep, ...(provisions.setup ? { setup: provisions.setup } : {}) };
}

/** When the process this writer took the run over from started, if it died holding the run. */
function crashedProcessStart(writer: RunWriter): Date | undefined {
  return writer.takenOverFrom ? new Date(writer.takenOverFrom.acquiredAt) : undefined;
}
