// The run branch `baton/<run>` and its private integration worktree under
// `<git common dir>/baton/worktrees/<run>/integration`. Accepted task commits are
// cherry-picked there one at a time; on a conflict an optional merge worker re-applies the
// task onto the current tip. The user's branch, index and working tree are never touched.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { git, gitOut } from '../git/run-git.ts';
import { cherryPickTask } from '../merge/cherry-pick-task.ts';
import type { Task } from '../plan/plan-schema.ts';
import type { EmitEvent, IntegrationPort, IntegrationResult } from './engine-ports.ts';

/** Reconciles a task with the run branch: returns a commit on top of `tip`, or undefined if it cannot. */
export type MergeWorker = (input: {
  runId: string;
  task: Task;
  taskCommit: string;
  tip: string;
  conflictFiles: string[];
  emit: EmitEvent;
  signal: AbortSignal;
}) => Promise<string | undefined>;

export interface GitIntegrationOptions {
  repo: string;
  mergeWorker?: MergeWorker;
}

export async function batonDir(repo: string): Promise<string> {
  const common = await gitOut(['rev-parse', '--git-common-dir'], { cwd: repo });
  return path.join(path.resolve(repo, common), 'baton');
}

export function runBranchRef(runId: string): string {
  return `refs/heads/baton/${runId}`;
}

/** Creates the run branch at `base` (a ref only: nothing is checked out in the user's tree). */
export async function createRunBranch(repo: string, runId: string, base: string): Promise<void> {
  await git(['update-ref', runBranchRef(runId), base, ''], { cwd: repo });
}

export function gitIntegration(options: GitIntegrationOptions): IntegrationPort {
  const { repo } = options;
  const dirs = new Map<string, string>();

  async function integrationDir(runId: string): Promise<string> {
    const known = dirs.get(runId);
    if (known) return known;
    const dir = path.join(await batonDir(repo), 'worktrees', runId, 'integration');
    if (!existsSync(dir)) {
      await mkdir(path.dirname(dir), { recursive: true });
      await git(['worktree', 'prune'], { cwd: repo, allowFailure: true });
      await git(['worktree', 'add', '--force', '--quiet', dir, `baton/${runId}`], { cwd: repo });
    }
    dirs.set(runId, dir);
    return dir;
  }

  return {
    /** Puts the run branch and its worktree exactly at `tip` (after a crash: at the last recorded merge). */
    async prepare(runId, tip) {
      const dir = await integrationDir(runId);
      await git(['cherry-pick', '--abort'], { cwd: dir, allowFailure: true });
      await git(['reset', '--hard', '--quiet', tip], { cwd: dir });
      await git(['clean', '-fdq'], { cwd: dir });
    },

    tip: (runId) => gitOut(['rev-parse', runBranchRef(runId)], { cwd: repo }),

    async integrate({ runId, task, taskCommit, emit, signal }): Promise<IntegrationResult> {
      const dir = await integrationDir(runId);
      const picked = await cherryPickTask({ integrationDir: dir, taskCommit });
      if (picked.kind === 'merged') return { kind: 'merged', commit: picked.commit, resolvedBy: 'clean' };
      const tip = await gitOut(['rev-parse', 'HEAD'], { cwd: dir });
      if (picked.kind === 'already_applied') return { kind: 'merged', commit: tip, resolvedBy: 'clean' };
      if (!options.mergeWorker) {
        return { kind: 'conflict', files: picked.files, reason: `task ${task.id} conflicts with accepted work in ${picked.files.join(', ')}` };
      }
      const reconciled = await options.mergeWorker({ runId, task, taskCommit, tip, conflictFiles: picked.files, emit, signal });
      if (!reconciled) {
        return { kind: 'conflict', files: picked.files, reason: `task ${task.id} conflicts in ${picked.files.join(', ')} and the merge worker could not reconcile it` };
      }
      const again = await cherryPickTask({ integrationDir: dir, taskCommit: reconciled });
      if (again.kind === 'merged') return { kind: 'merged', commit: again.commit, resolvedBy: 'merge_worker' };
      return { kind: 'conflict', files: again.kind === 'conflict' ? again.files : [], reason: `the merge worker's reconciliation of ${task.id} did not apply cleanly` };
    },

    async reset({ runId, commit }) {
      const dir = await integrationDir(runId);
      await git(['reset', '--hard', '--quiet', commit], { cwd: dir });
    },

    checkoutDir: integrationDir,
  };
}

/** Removes the run's integration worktree (the branch stays). */
export async function removeIntegrationWorktree(repo: string, runId: string): Promise<void> {
  const dir = path.join(await batonDir(repo), 'worktrees', runId, 'integration');
  if (existsSync(dir)) await git(['worktree', 'remove', '--force', dir], { cwd: repo, allowFailure: true });
}
