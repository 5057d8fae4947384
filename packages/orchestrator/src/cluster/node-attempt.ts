// One task job on a worker node: take the attempt (if the job is still this node's claim and the
// attempt still live), get the commit it starts from off the git remote, do the attempt exactly
// as `baton run` does here (workspace, worker with its own tool host and grant, commit, tests),
// push the commit under baton's refs, and record everything in the store, every write fenced by
// the node's claim. A node whose claim lapsed records nothing more and stops its worker.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { git } from '../git/run-git.ts';
import { gitWorkspaces } from '../run/git-workspaces.ts';
import type { AttemptWork } from '../run/attempt-work.ts';
import { localAttempts } from '../run/local-attempts.ts';
import { modelWorker } from '../run/model-worker.ts';
import { costOf, resolveWorker } from '../run/models.ts';
import { toolTests } from '../run/tool-tests.ts';
import { NO_PROVISIONS, type WorkspaceProvisions } from '../workspace/workspace-provisions.ts';
import { RunEventSchema, type RunEventInput } from '../store/run-event.ts';
import type { RunStore } from '../store/run-store.ts';
import type { ClusterBackend } from '../store/store-backend.ts';
import { AttemptFencedError } from '../store/store-errors.ts';
import { languageServerSpecs } from '@baton/mcp-tools';
import { budgetedModel, isAgentCliModel } from '@baton/worker-host';
import { storeRunBudget } from './store-run-budget.ts';
import { fetchRefs, pushRefs, remoteAttemptRef, remoteBaseRef, type RemoteRetry } from './git-remote.ts';
import { TASK_QUEUE, TaskJobSchema } from './task-queue.ts';

export interface NodeContext {
  store: RunStore;
  cluster: ClusterBackend;
  /** This node's name, shown in the run's log and status. */
  node: string;
  /** Where this node keeps its clones of remotes and its task workspaces. */
  workDir: string;
  remoteRetry?: RemoteRetry;
  say: (line: string) => void;
}

export interface NodeJob {
  id: string;
  retryCount: number;
  data: unknown;
  signal?: AbortSignal;
}

export type NodeJobResult = 'done' | 'not_ours';

/** The node's clone of a remote: a bare repository per remote URL, kept between jobs (fetches are incremental). */
async function remoteClone(workDir: string, remote: string): Promise<string> {
  const dir = path.join(workDir, 'repos', `${createHash('sha256').update(remote).digest('hex').slice(0, 16)}.git`);
  if (!existsSync(path.join(dir, 'HEAD'))) {
    mkdirSync(dir, { recursive: true });
    await git(['init', '--quiet', '--bare', dir], { cwd: workDir });
  }
  return dir;
}

export async function runNodeJob(context: NodeContext, job: NodeJob): Promise<NodeJobResult> {
  const data = TaskJobSchema.parse(job.data);
  const { runId, taskId, attempt } = data;
  const fence = { queue: TASK_QUEUE, taskId, attempt, jobId: job.id, claim: job.retryCount };
  const event = (e: RunEventInput) => RunEventSchema.parse(e);
  const claimed = await context.cluster.claimAttempt({
    runId,
    fence,
    node: context.node,
    events: (previousNode) => [event({ type: 'task_claimed', taskId, attempt, node: context.node, claim: job.retryCount, ...(previousNode !== undefined && previousNode !== context.node ? { previousNode } : {}) })],
  });
  if (claimed.kind !== 'claimed') {
    context.say(`${runId} ${taskId}#${attempt}: ${claimed.kind === 'finished' ? 'already finished by another node' : 'no longer live (superseded or its claim lapsed)'}; skipped`);
    return 'not_ours';
  }
  context.say(`${runId} ${taskId}#${attempt}: taken (claim ${job.retryCount})`);
  const writer = context.store.attemptWriter(runId, fence);
  const stop = new AbortController();
  const onJobAbort = () => stop.abort();
  job.signal?.addEventListener('abort', onJobAbort, { once: true });
  // A write refused because the claim lapsed stops the worker: nothing it does would count.
  const fenced = (error: unknown) => {
    if (error instanceof AttemptFencedError) stop.abort();
  };
  const emit = (e: RunEventInput) => {
    writer.enqueue(e);
    void writer.flush().catch(fenced);
  };
  try {
    const remoteNote = (what: string) => (tryNumber: number, error: Error) =>
      emit({ type: 'task_event', taskId, attempt, kind: 'error', name: 'git_remote', isError: true, detail: `node ${context.node}: the git remote did not answer while ${what} (try ${tryNumber}): ${error.message.split('\n')[0]}` });
    const repo = await remoteClone(context.workDir, data.remote);
    await fetchRefs({ cwd: repo, remote: data.remote, refs: [remoteBaseRef(runId, data.fromCommit)], what: `fetch the commit task ${taskId} starts from`, ...(context.remoteRetry ? { retry: context.remoteRetry } : {}), onRetry: remoteNote('fetching the base commit') });
    const resolved = await resolveWorker(data.settings.worker, { cwd: context.workDir, idleTimeoutSeconds: data.settings.streamIdleTimeoutSeconds });
    const prices = data.settings.prices as Parameters<typeof costOf>[2];
    // Every call is held to the run's budget as the store says it stands (an agent CLI is held to its task's limits).
    const budgets = (await context.store.state(runId)).budgets;
    const model = isAgentCliModel(resolved) ? resolved : budgetedModel(resolved, storeRunBudget({ cluster: context.cluster, runId, budgets }), { costOf: (usage) => costOf(resolved, usage, prices) });
    const worker = modelWorker({
      modelFor: () => model,
      budget: { maxTurns: data.settings.perTaskTurns, maxTokens: data.settings.perTaskTokens },
      testCommands: data.settings.testCommands,
      protectedPaths: data.settings.protectedPaths,
      costOf: (m, usage) => costOf(m, usage, prices),
      ...(data.settings.languageServers.length > 0 ? { languageServers: languageServerSpecs(data.settings.languageServers) } : {}),
    });
    // The workspace module as `baton run` uses it: warm slots (in this node's clone) and the setup command.
    const workspace = data.settings.workspace;
    const provisions: WorkspaceProvisions = { ...NO_PROVISIONS, ...(workspace?.setup ? { setup: workspace.setup } : {}) };
    const workspaces = gitWorkspaces({ repo, warm: workspace ? { use: workspace.warm, keep: workspace.keep } : undefined, provisions });
    const attempts = localAttempts({ workspaces, worker, tests: toolTests({ testCommands: data.settings.testCommands }), node: context.node });
    let work: AttemptWork = await attempts.work({
      runId,
      task: data.task,
      attempt,
      brief: data.brief,
      fromCommit: data.fromCommit,
      protectedPaths: data.settings.protectedPaths,
      modelLabel: `${model.provider}:${model.model}`,
      commitMessage: data.commitMessage,
      emit,
      signal: stop.signal,
    });
    await writer.flush();
    if (work.kind === 'committed') {
      const ref = remoteAttemptRef(runId, taskId, attempt, job.retryCount);
      await pushRefs({ cwd: repo, remote: data.remote, refs: { [ref]: work.commit }, what: `push the commit of task ${taskId}`, ...(context.remoteRetry ? { retry: context.remoteRetry } : {}), onRetry: remoteNote('pushing the task commit') });
      work = { ...work, remoteRef: ref };
    }
    // The result and the end of the attempt, in the transaction that checks the claim one last time.
    await writer.appendMany([{ type: 'attempt_finished', taskId, attempt, node: context.node, outcome: work }]);
    context.say(`${runId} ${taskId}#${attempt}: ${work.kind}`);
    return 'done';
  } catch (error) {
    if (error instanceof AttemptFencedError || stop.signal.aborted) {
      context.say(`${runId} ${taskId}#${attempt}: this node lost its claim; stopped without recording more`);
      return 'not_ours';
    }
    const message = error instanceof Error ? error.message : String(error);
    await writer.appendMany([{ type: 'task_event', taskId, attempt, kind: 'error', isError: true, detail: `node ${context.node} could not finish the attempt: ${message}` }]).catch(() => undefined);
    throw error;
  } finally {
    job.signal?.removeEventListener('abort', onJobAbort);
  }
}
