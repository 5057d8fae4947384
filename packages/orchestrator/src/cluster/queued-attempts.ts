// The orchestrator's side of attempts done on worker nodes: push the commit an attempt starts
// from to the git remote, queue the attempt as a job (recorded and enqueued in one transaction),
// wait for a node's result in the store, then fetch the node's commit from the remote and check
// it — its parent is the base, its changes are recomputed here — before the review gate sees it.
// A job that failed on every try, or was cancelled, comes back as an error the engine escalates.
import { randomUUID } from 'node:crypto';
import { git, gitOut } from '../git/run-git.ts';
import { parseNameStatus } from '../review/scope-check.ts';
import type { AttemptWork } from '../run/attempt-work.ts';
import type { AttemptPort } from '../run/engine-ports.ts';
import type { StoredEvent } from '../store/run-event.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import type { ClusterBackend } from '../store/store-backend.ts';
import { fetchRefs, pushRefs, remoteBaseRef, type RemoteRetry } from './git-remote.ts';
import { TASK_QUEUE, type TaskJob, type TaskQueue } from './task-queue.ts';

export interface QueuedAttemptsOptions {
  store: RunStore;
  cluster: ClusterBackend;
  writer: RunWriter;
  queue: TaskQueue;
  /** The user's repository: the run branch lives here, task commits are fetched into it. */
  repo: string;
  /** The git remote as nodes reach it (a URL without credentials). */
  remote: string;
  settings: TaskJob['settings'];
  remoteRetry?: RemoteRetry;
  /** How often a waiting attempt's job is looked at (a job that failed for good sends no event). */
  pollMs?: number;
}

/** The task's job failed on every try (or was cancelled) without a node recording a result. */
export class TaskJobFailedError extends Error {
  override name = 'TaskJobFailedError';
}

type Waiter = { resolve: (work: AttemptWork) => void; node?: string };

export function queuedAttempts(options: QueuedAttemptsOptions): AttemptPort & { close(): void } {
  const { store, cluster, writer, queue, repo, remote } = options;
  const runId = writer.runId;
  /** One push per base commit, shared by the attempts that start from it at once (a failed one is tried again by the next). */
  const pushedBases = new Map<string, Promise<unknown>>();
  const finished = new Map<string, AttemptWork>();
  const waiters = new Map<string, Waiter>();
  const key = (taskId: string, attempt: number) => `${taskId}#${attempt}`;
  const onEvent = (event: StoredEvent) => {
    if (event.type !== 'attempt_finished') return;
    const k = key(event.taskId, event.attempt);
    finished.set(k, event.outcome);
    waiters.get(k)?.resolve(event.outcome);
  };
  const unsubscribe = store.subscribe(runId, onEvent);

  async function waitForResult(taskId: string, attempt: number, jobId: string, signal: AbortSignal): Promise<AttemptWork> {
    const k = key(taskId, attempt);
    const pollMs = options.pollMs ?? queue.settings.superviseSeconds * 1000;
    return new Promise<AttemptWork>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        waiters.delete(k);
        if (timer) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        void queue.boss.cancel(TASK_QUEUE, jobId).catch(() => undefined);
        resolve({ kind: 'cancelled' });
      };
      waiters.set(k, {
        resolve: (work) => {
          done();
          resolve(work);
        },
      });
      signal.addEventListener('abort', onAbort, { once: true });
      // A job that failed for good sends no event: it is looked at on a timer. So is the log, when
      // the job is done but its result was not heard of (a notice lost in a reconnect).
      const check = async () => {
        if (!waiters.has(k)) return;
        const job = await cluster.jobStatus(TASK_QUEUE, jobId);
        if (job?.state === 'completed' && !finished.has(k)) {
          for (const event of await store.events(runId)) onEvent(event);
          if (!waiters.has(k)) return;
        }
        if (job && (job.state === 'failed' || job.state === 'cancelled' || job.state === 'completed')) {
          done();
          const output = job.output as { message?: unknown } | null | undefined;
          const why = output && typeof output.message === 'string' ? output.message : 'no node recorded why';
          const what = job.state === 'failed' ? `failed on all ${job.retryCount + 1} tries` : job.state === 'cancelled' ? 'was cancelled' : 'ended without a result';
          reject(new TaskJobFailedError(`the job of task ${taskId} (attempt ${attempt}) ${what}: ${why}`));
          return;
        }
        timer = setTimeout(() => void check().catch(() => (timer = setTimeout(() => void check(), pollMs))), pollMs);
      };
      const already = finished.get(k);
      if (already) {
        waiters.get(k)?.resolve(already);
        return;
      }
      timer = setTimeout(() => void check(), pollMs);
    });
  }

  /** Brings a node's commit here and checks it: pushed where the result says, on top of the base; its changes are recomputed. */
  async function adopt(taskId: string, work: Extract<AttemptWork, { kind: 'committed' }>): Promise<AttemptWork> {
    if (!work.remoteRef) throw new TaskJobFailedError(`the node that did task ${taskId} recorded no ref for its commit ${work.commit}`);
    await fetchRefs({ cwd: repo, remote, refs: [work.remoteRef], what: `fetch the commit of task ${taskId}`, ...(options.remoteRetry ? { retry: options.remoteRetry } : {}) });
    const fetched = await gitOut(['rev-parse', '--verify', `${work.remoteRef}^{commit}`], { cwd: repo });
    if (fetched !== work.commit) throw new TaskJobFailedError(`the remote's ${work.remoteRef} is ${fetched}, not the commit ${work.commit} the node recorded for task ${taskId}`);
    const parent = (await git(['rev-parse', '--verify', '--quiet', `${work.commit}^1`], { cwd: repo, allowFailure: true })).stdout.trim();
    if (parent !== work.fromCommit) throw new TaskJobFailedError(`the commit ${work.commit} of task ${taskId} does not sit on the commit its attempt started from (${work.fromCommit})`);
    const changed = parseNameStatus((await git(['diff', '--name-status', '-z', '-M', work.fromCommit, work.commit], { cwd: repo })).stdout);
    const diff = (await git(['show', '--format=', '--patch', work.commit], { cwd: repo })).stdout;
    return { ...work, changed, diff };
  }

  return {
    async work(input): Promise<AttemptWork> {
      const { task, attempt, fromCommit, signal } = input;
      let pushed = pushedBases.get(fromCommit);
      if (!pushed) {
        pushed = pushRefs({ cwd: repo, remote, refs: { [remoteBaseRef(runId, fromCommit)]: fromCommit }, what: `push the commit task ${task.id} starts from`, ...(options.remoteRetry ? { retry: options.remoteRetry } : {}) });
        pushedBases.set(fromCommit, pushed);
        pushed.catch(() => pushedBases.delete(fromCommit));
      }
      await pushed;
      const jobId = randomUUID();
      const job: TaskJob = { runId, taskId: task.id, attempt, remote, fromCommit, task, brief: input.brief, commitMessage: input.commitMessage, settings: options.settings };
      await writer.dispatchAttempt({
        taskId: task.id,
        attempt,
        jobId,
        fromCommit,
        enqueue: async (db) => {
          await queue.boss.send(TASK_QUEUE, job, { id: jobId, db });
        },
      });
      const work = await waitForResult(task.id, attempt, jobId, signal);
      return work.kind === 'committed' ? adopt(task.id, work) : work;
    },
    close: unsubscribe,
  };
}
