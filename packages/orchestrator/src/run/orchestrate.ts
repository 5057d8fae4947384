// The two halves of a run as the CLI drives them: plan a ticket into a new run (the user's
// checkout is only read), and execute an approved run with real workspaces, tool hosts,
// workers, tests, reviewer and merge worker.
import { git, gitOut } from '../git/run-git.ts';
import { renderMergeBrief } from './task-brief.ts';
import type { BatonConfig } from '../config/config-schema.ts';
import { gatherRepoMetadata } from '../planner/repo-metadata.ts';
import { planTicket, type PlannerOutcome } from '../plan/planner.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import type { WorkflowName } from '../workflows/workflow.ts';
import type { ModelClient } from '@baton/worker-host';
import type { EnginePorts } from './engine-ports.ts';
import { createRunBranch, gitIntegration, removeIntegrationWorktree, type MergeWorker } from './git-integration.ts';
import { gitWorkspaces, removeStaleTaskWorktrees } from './git-workspaces.ts';
import { modelReviewer } from './model-reviewer.ts';
import { modelWorker } from './model-worker.ts';
import { asPlannerModel, costOf, type WorkerModel } from './models.ts';
import { executeRun, type RunResult } from './run-engine.ts';
import { toolTests } from './tool-tests.ts';

export interface RunModels {
  planner: ModelClient;
  worker: WorkerModel;
  reviewer: ModelClient;
}

export interface PlanNewRunOptions {
  repo: string;
  store: RunStore;
  ticket: string;
  workflow: WorkflowName;
  config: BatonConfig;
  planner: ModelClient;
  maxWorkers: number;
  budgets: { tokens?: number; usd?: number; wallSeconds?: number };
  runId?: string;
}

export async function planNewRun(options: PlanNewRunOptions): Promise<{ writer: RunWriter; outcome: PlannerOutcome }> {
  const { repo, store } = options;
  const baseCommit = await gitOut(['rev-parse', 'HEAD'], { cwd: repo });
  const baseBranch = (await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repo, allowFailure: true })).stdout.trim();
  const writer = store.createRun({
    ...(options.runId ? { runId: options.runId } : {}),
    ticket: options.ticket,
    workflow: options.workflow,
    baseCommit,
    ...(baseBranch ? { baseBranch } : {}),
    budgets: options.budgets,
    maxWorkers: options.maxWorkers,
  });
  await createRunBranch(repo, writer.runId, baseCommit);
  // The planner reads the base commit (the run branch's own checkout, not the user's working
  // tree, which may hold uncommitted changes) through a read-only grant.
  const baseCheckout = await gitIntegration({ repo }).checkoutDir(writer.runId);
  const metadata = await gatherRepoMetadata({ root: baseCheckout, ticket: options.ticket, readScope: options.config.defaultReadScope });
  const planner = asPlannerModel(options.planner);
  const plannerLabel = `${options.planner.provider}:${options.planner.model}`;
  const outcome = await planTicket({
    model: planner,
    ticket: options.ticket,
    workflow: options.workflow,
    repo: metadata,
    knownTests: Object.keys(options.config.tests),
    onAttempt: (attempt) => {
      if (attempt.problems.length > 0) writer.append({ type: 'plan_invalid', attempt: attempt.attempt, problems: attempt.problems.map((p) => `${p.path}: ${p.message}`) });
    },
  });
  const plannerUsage = { inputTokens: outcome.usage.inputTokens, outputTokens: outcome.usage.outputTokens };
  if (outcome.usage.modelCalls > 0) {
    writer.append({ type: 'model_usage', role: 'planner', model: plannerLabel, usage: plannerUsage, costUsd: costOf(options.planner, { ...plannerUsage, cacheReadTokens: 0, cacheWriteTokens: 0 }, options.config.prices), calls: outcome.usage.modelCalls });
  }
  if (outcome.kind === 'planned') {
    writer.proposePlan({ plan: outcome.plan, source: 'proposed', warnings: outcome.warnings.map((w) => `${w.path}: ${w.message}`), by: plannerLabel });
  }
  return { writer, outcome };
}

export interface ExecuteApprovedRunOptions {
  repo: string;
  store: RunStore;
  writer: RunWriter;
  config: BatonConfig;
  models: RunModels;
  signal?: AbortSignal;
}

export function enginePorts(options: { repo: string; config: BatonConfig; models: RunModels }): EnginePorts {
  const { repo, config, models } = options;
  const budget = { maxTurns: config.budgets.perTaskTurns, maxTokens: config.budgets.perTaskTokens };
  const worker = modelWorker({
    modelFor: () => models.worker,
    budget,
    testCommands: config.tests,
    protectedPaths: config.protectedPaths,
    costOf: (model, usage) => costOf(model, usage, config.prices),
  });
  const workspaces = gitWorkspaces({ repo });
  const mergeWorker: MergeWorker = async ({ runId, task, taskCommit, tip, conflictFiles, emit, signal }) => {
    const mergeTask = { ...task, id: `${task.id}.merge`, role: 'merge', write_scope: conflictFiles };
    const workspace = await workspaces.create({ runId, task: mergeTask, attempt: 1, fromCommit: tip });
    try {
      const taskDiff = (await git(['show', '--format=', '--patch', taskCommit], { cwd: repo })).stdout;
      const branchDiff = (await git(['diff', `${taskCommit}~1`, tip, '--', ...conflictFiles], { cwd: repo })).stdout;
      const brief = renderMergeBrief({ ticket: '', task, taskDiff, branchDiff, conflictFiles });
      const result = await worker.run({ runId, task: mergeTask, attempt: 1, brief, workspace, emit: (e) => emit('taskId' in e && e.taskId === mergeTask.id ? { ...e, taskId: task.id } as typeof e : e), signal });
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
    tests: toolTests({ testCommands: config.tests }),
    reviewer: modelReviewer({ model: asPlannerModel(models.reviewer), modelLabel: `${models.reviewer.provider}:${models.reviewer.model}`, costOf: (usage) => costOf(models.reviewer, { cacheReadTokens: 0, cacheWriteTokens: 0, ...usage }, config.prices) }),
    integration: gitIntegration({ repo, mergeWorker }),
  };
}

export async function executeApprovedRun(options: ExecuteApprovedRunOptions): Promise<RunResult> {
  const { config } = options;
  await removeStaleTaskWorktrees(options.repo, options.writer.runId);
  try {
    return await executeRun({
    store: options.store,
    writer: options.writer,
    ports: enginePorts(options),
    settings: {
      maxReworks: config.maxReworks,
      protectedPaths: config.protectedPaths,
      gateSuites: config.gateTest ? [config.gateTest] : [],
      workerModel: `${options.models.worker.provider}:${options.models.worker.model}`,
    },
    ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    // The run branch stays; its private checkout goes, so the user can check the branch out.
    await removeIntegrationWorktree(options.repo, options.writer.runId);
  }
}
