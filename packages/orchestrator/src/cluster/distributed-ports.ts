// The engine's ports for a run whose tasks run on worker nodes: attempts go through the job
// queue (queued-attempts.ts) and the run branch's tip is kept on the git remote as well
// (remote-integration.ts); reviews, tests after merges and merges stay on the orchestrator.
import type { BatonConfig } from '../config/config-schema.ts';
import { git } from '../git/run-git.ts';
import type { EnginePorts } from '../run/engine-ports.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import type { ClusterBackend } from '../store/store-backend.ts';
import { deleteRemoteRefs, remoteTipRef, type RemoteRetry } from './git-remote.ts';
import { queuedAttempts } from './queued-attempts.ts';
import { remoteIntegration } from './remote-integration.ts';
import { TASK_QUEUE, type TaskJob, type TaskQueue } from './task-queue.ts';

/** What every node needs from baton.config.json to do a task, sent with each job (nothing secret). */
export function nodeSettings(config: BatonConfig, workerId: string, workspace?: TaskJob['settings']['workspace']): TaskJob['settings'] {
  return {
    ...(workspace ? { workspace } : {}),
    worker: workerId,
    testCommands: config.tests,
    protectedPaths: config.protectedPaths,
    perTaskTurns: config.budgets.perTaskTurns,
    perTaskTokens: config.budgets.perTaskTokens,
    prices: config.prices,
    languageServers: config.languageServers,
    ...(config.models.streamIdleTimeoutSeconds !== undefined ? { streamIdleTimeoutSeconds: config.models.streamIdleTimeoutSeconds } : {}),
  };
}

export async function distributedPorts(input: {
  ports: EnginePorts;
  store: RunStore;
  cluster: ClusterBackend;
  writer: RunWriter;
  repo: string;
  remote: string;
  queue: TaskQueue;
  settings: TaskJob['settings'];
  remoteRetry?: RemoteRetry;
}): Promise<{ ports: EnginePorts; close: () => void }> {
  // Attempts a process driving this run before left queued or running start again (the engine
  // starts them as new attempts): the old ones are superseded, so their nodes' writes are refused.
  for (const stale of await input.writer.supersedeAttempts()) await input.queue.boss.cancel(TASK_QUEUE, stale.jobId).catch(() => undefined);
  const retry = input.remoteRetry ? { remoteRetry: input.remoteRetry } : {};
  const attempts = queuedAttempts({ store: input.store, cluster: input.cluster, writer: input.writer, queue: input.queue, repo: input.repo, remote: input.remote, settings: input.settings, ...retry });
  return {
    ports: { ...input.ports, attempts, integration: remoteIntegration(input.ports.integration, { repo: input.repo, remote: input.remote, ...(input.remoteRetry ? { retry: input.remoteRetry } : {}) }) },
    close: () => attempts.close(),
  };
}

/** After a run on worker nodes finished: its refs on the remote go but the tip; here, the fetched copies go (task keep-refs stay). */
export async function cleanUpRemoteRun(input: { repo: string; remote: string; runId: string }): Promise<void> {
  await deleteRemoteRefs({ cwd: input.repo, remote: input.remote, runId: input.runId, keep: [remoteTipRef(input.runId)] });
  const local = (await git(['for-each-ref', '--format=%(refname)', `refs/baton/${input.runId}/base/`, `refs/baton/${input.runId}/attempts/`, remoteTipRef(input.runId)], { cwd: input.repo })).stdout.split('\n').filter(Boolean);
  if (local.length > 0) await git(['update-ref', '--stdin'], { cwd: input.repo, input: `${local.map((ref) => `delete ${ref}`).join('\n')}\n` });
}
