// The run branch `baton/<run>` and its private integration worktree under
// `<git common dir>/baton/worktrees/<run>/integration`. Accepted task commits are
// cherry-picked there one at a time; on a conflict an optional merge worker re-applies the
// task onto the current tip. The user's branch, index and working tree are never touched.
import { git, GitError, gitOut } from '../git/run-git.ts';
import { cherryPickTask } from '../merge/cherry-pick-task.ts';
import type { Task } from '../plan/plan-schema.ts';
import { runBranchName, runBranchRef } from '../workspace/baton-paths.ts';
import { copyIntoWorkspace, prepareWorkspace } from '../workspace/prepare-workspace.ts';
import { addRunWorktree, removeRunWorktree, type WarmPolicy } from '../workspace/run-worktrees.ts';
import type { WorkspaceProvisions } from '../workspace/workspace-provisions.ts';
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
  /** Take the integration checkout from the warm worktrees (see warm-slots.ts). */
  warm?: WarmPolicy | undefined;
  /** What the checkout needs for the tests after each merge (copies, setup; links are the test runner's). */
  provisions?: WorkspaceProvisions | undefined;
}

/**
 * Creates the run branch at `base` (a ref only: nothing is checked out in the user's tree).
 * Safe to repeat: planning that starts again after a kill finds the branch it made the first
 * time. A branch of that name pointing elsewhere is someone else's and is left alone.
 */
export async function createRunBranch(repo: string, runId: string, base: string): Promise<void> {
  const created = await git(['update-ref', runBranchRef(runId), base, ''], { cwd: repo, allowFailure: true });
  if (created.exitCode === 0) return;
  const existing = await git(['rev-parse', '--verify', '--quiet', `${runBranchRef(runId)}^{commit}`], { cwd: repo, allowFailure: true });
  if (existing.stdout.trim() === base) return;
  throw new GitError(['update-ref', runBranchRef(runId), base], created.exitCode, `${created.stderr.trim()} (branch ${runBranchName(runId)} already exists at ${existing.stdout.trim() || 'an unreadable commit'}; delete it or choose another --run-id)`);
}

export function gitIntegration(options: GitIntegrationOptions): IntegrationPort {
  const { repo } = options;
  const dirs = new Map<string, Promise<string>>();

  async function integrationDir(runId: string): Promise<string> {
    let dir = dirs.get(runId);
    if (!dir) {
      dir = addRunWorktree({ repo, runId, leaf: 'integration', start: { kind: 'branch', branch: runBranchName(runId) }, warm: options.warm }).then(async (made) => {
        if (!options.provisions) return made;
        try {
          await prepareWorkspace({ dir: made, provisions: options.provisions });
        } catch (error) {
          await removeRunWorktree({ repo, dir: made });
          throw error;
        }
        return made;
      });
      dirs.set(runId, dir);
      dir.catch(() => dirs.delete(runId));
    }
    return dir;
  }

  return {
    /** Puts the run branch and its worktree exactly at `tip` (after a crash: at the last recorded merge). */
    async prepare(runId, tip) {
      const dir = await integrationDir(runId);
      await git(['cherry-pick', '--abort'], { cwd: dir, allowFailure: true });
      await git(['reset', '--hard', '--quiet', tip], { cwd: dir });
      await git(['clean', '-fdq'], { cwd: dir });
      // The clean took untracked copies away (a .env.test git does not ignore).
      if (options.provisions) copyIntoWorkspace(dir, options.provisions);
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

