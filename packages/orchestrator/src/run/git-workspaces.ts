// Task workspaces as git worktrees under `<git common dir>/baton/worktrees/<run>/<task>-<n>`,
// each on its task branch `baton-tasks/<run>/<task>` reset to the commit the attempt starts from.
// Committing stages everything the worker changed and records it with baton's identity.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { git, gitOut } from '../git/run-git.ts';
import { parseNameStatus } from '../review/scope-check.ts';
import type { TaskWorkspace, WorkspacePort } from './engine-ports.ts';
import { batonDir } from './git-integration.ts';

/** Removes task worktrees a killed process left behind for this run (their branches stay). */
export async function removeStaleTaskWorktrees(repo: string, runId: string): Promise<number> {
  const prefix = path.join(await batonDir(repo), 'worktrees', runId) + path.sep;
  const listed = (await git(['worktree', 'list', '--porcelain'], { cwd: repo })).stdout;
  const stale = listed
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length))
    .filter((dir) => dir.startsWith(prefix) && path.basename(dir) !== 'integration');
  for (const dir of stale) await git(['worktree', 'remove', '--force', dir], { cwd: repo, allowFailure: true });
  await git(['worktree', 'prune'], { cwd: repo, allowFailure: true });
  return stale.length;
}

export function gitWorkspaces(options: { repo: string }): WorkspacePort {
  const { repo } = options;
  return {
    async create({ runId, task, attempt, fromCommit }) {
      const dir = path.join(await batonDir(repo), 'worktrees', runId, `${task.id}-${attempt}`);
      const branch = `baton-tasks/${runId}/${task.id}`;
      if (existsSync(dir)) await git(['worktree', 'remove', '--force', dir], { cwd: repo, allowFailure: true });
      await git(['worktree', 'prune'], { cwd: repo, allowFailure: true });
      await mkdir(path.dirname(dir), { recursive: true });
      await git(['worktree', 'add', '--force', '--quiet', '-B', branch, dir, fromCommit], { cwd: repo });
      return { dir, branch };
    },

    async commit({ workspace, message }) {
      const cwd = workspace.dir;
      await git(['add', '--all'], { cwd });
      const changed = parseNameStatus((await git(['diff', '--cached', '--name-status', '-z', '-M'], { cwd })).stdout);
      if (changed.length === 0) return undefined;
      await git(['commit', '--quiet', '--no-verify', '-m', message], { cwd });
      const commit = await gitOut(['rev-parse', 'HEAD'], { cwd });
      const diff = (await git(['show', '--format=', '--patch', commit], { cwd })).stdout;
      return { commit, changed, diff };
    },

    async remove(workspace: TaskWorkspace) {
      await git(['worktree', 'remove', '--force', workspace.dir], { cwd: repo, allowFailure: true });
    },
  };
}
