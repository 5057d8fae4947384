// What `baton run --on-nodes` and `baton resume` need to drive a run whose tasks run on worker
// nodes: the git remote the commits travel through (recorded without credentials), the worker
// id as nodes resolve it, and the job queue on the run's PostgreSQL store.
import path from 'node:path';
import { UsageError } from '@baton/mcp-tools';
import { isAgentCliId } from '@baton/worker-host';
import { assertRemoteHasNoCredentials } from '../cluster/git-remote.ts';
import { startTaskQueue, type TaskQueue } from '../cluster/task-queue.ts';
import type { BatonConfig } from '../config/config-schema.ts';
import { git } from '../git/run-git.ts';
import type { RunStore } from '../store/run-store.ts';
import { isPostgresUrl } from '../store/store-url.ts';

export interface ClusterFlags {
  onNodes?: boolean;
  remote?: string;
  worker?: string;
}

/** The remote a run on nodes uses, as a URL every node can reach: a remote's name is looked up in the repository. */
export async function resolveRunRemote(repo: string, flags: ClusterFlags, config: BatonConfig): Promise<string> {
  const given = flags.remote ?? config.cluster.remote ?? 'origin';
  const named = await git(['remote', 'get-url', given], { cwd: repo, allowFailure: true });
  const url = named.exitCode === 0 ? named.stdout.trim() : given;
  if (named.exitCode !== 0 && !/^[a-z][a-z0-9+.-]*:\/\/|^[^/\s]+@[^:\s]+:|^\//i.test(given)) {
    throw new UsageError(`${given} is neither a remote of this repository nor a URL; pass --remote <name or URL> of a git remote every worker node can reach`);
  }
  // A local path works on one machine only; it is still a remote the nodes here can use.
  const resolved = url.startsWith('/') || url.startsWith('.') ? path.resolve(repo, url) : url;
  assertRemoteHasNoCredentials(resolved);
  return resolved;
}

/**
 * The worker as nodes get it: its id, with a scripted model's script made absolute (a node
 * resolves ids itself, with its own keys).
 */
export function workerIdForNodes(config: BatonConfig, flags: ClusterFlags, where: { cwd: string; repo: string }): string {
  const id = flags.worker ?? config.models.worker;
  if (isAgentCliId(id)) return id;
  const colon = id.indexOf(':');
  const provider = id.slice(0, colon);
  if (provider !== 'scripted') return id;
  return `scripted:${path.resolve(flags.worker !== undefined ? where.cwd : where.repo, id.slice(colon + 1))}`;
}

/** Starts the job queue for a run on nodes; undefined for a run that runs its tasks here. */
export async function clusterFor(input: { store: RunStore; location: string; runId: string; config: BatonConfig; flags: ClusterFlags; cwd: string; repo: string }): Promise<{ queue: TaskQueue; workerId: string } | undefined> {
  const state = await input.store.state(input.runId);
  if (!state.distributed) return undefined;
  if (!isPostgresUrl(input.location)) throw new UsageError(`run ${input.runId} runs its tasks on worker nodes; drive it with its PostgreSQL store (--store postgres://…)`);
  const queue = await startTaskQueue({ url: input.location, applicationName: `baton ${input.runId}`, onError: () => undefined });
  return { queue, workerId: workerIdForNodes(input.config, input.flags, { cwd: input.cwd, repo: input.repo }) };
}
