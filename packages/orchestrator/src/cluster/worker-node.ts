// A worker node: takes task jobs from the queue on the shared PostgreSQL store, up to
// `concurrency` at once, and does each (node-attempt.ts) until it is stopped. Nothing but the
// store's URL and the git remotes named in jobs is shared with other machines; model keys and
// git credentials are this node's own.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunStore } from '../store/run-store.ts';
import { StoreUsageError } from '../store/store-errors.ts';
import { openStore } from '../store/open-store.ts';
import type { RemoteRetry } from './git-remote.ts';
import { runNodeJob } from './node-attempt.ts';
import { startTaskQueue, TASK_QUEUE, type QueueSettings, type TaskJob } from './task-queue.ts';

export interface WorkerNodeOptions {
  /** postgres://… of the run store (and the queue). */
  url: string;
  concurrency: number;
  workDir: string;
  /** Default: the host name and pid. */
  name?: string;
  queueSettings?: QueueSettings;
  remoteRetry?: RemoteRetry;
  say?: (line: string) => void;
}

export interface WorkerNode {
  readonly name: string;
  readonly store: RunStore;
  /** Stops taking jobs; jobs in hand are abandoned (their claims lapse and other nodes take them). */
  close(): Promise<void>;
}

export function defaultNodeName(): string {
  return `${process.env['BATON_HOSTNAME'] || hostname()}-${process.pid}`;
}

export async function startWorkerNode(options: WorkerNodeOptions): Promise<WorkerNode> {
  const say = options.say ?? (() => {});
  const name = options.name ?? defaultNodeName();
  mkdirSync(options.workDir, { recursive: true });
  const store = await openStore({ location: options.url, applicationName: `baton node ${name}` });
  const cluster = store.cluster;
  if (!cluster) {
    await store.close();
    throw new StoreUsageError('baton node needs a PostgreSQL store (--store postgres://…)');
  }
  const queue = await startTaskQueue({
    url: options.url,
    applicationName: `baton node ${name} (queue)`,
    ...(options.queueSettings ? { settings: options.queueSettings } : {}),
    onError: (error) => say(`queue: ${error.message}`),
  });
  const context = { store, cluster, node: name, workDir: options.workDir, say, ...(options.remoteRetry ? { remoteRetry: options.remoteRetry } : {}) };
  await queue.boss.work<TaskJob>(TASK_QUEUE, { localConcurrency: options.concurrency, batchSize: 1, pollingIntervalSeconds: Math.max(0.5, queue.settings.superviseSeconds), notifyPollingIntervalSeconds: Math.max(0.5, queue.settings.superviseSeconds) }, async (jobs) => {
    for (const job of jobs) await runNodeJob(context, { id: job.id, retryCount: job.retryCount, data: job.data, signal: job.signal });
  });
  say(`node ${name} takes task jobs from ${store.location} (${options.concurrency} at once; work dir ${options.workDir})`);
  return {
    name,
    store,
    async close() {
      await queue.close();
      await store.close();
    },
  };
}
