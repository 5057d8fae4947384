// Task workspaces as git worktrees under `<git common dir>/baton/worktrees/<run>/<task>-<n>`,
// each on its task branch `baton-tasks/<run>/<task>` reset to the commit the attempt starts from
// (made and removed by the workspace module), with what the workspace settings provide (copies,
// setup). Committing stages everything the worker changed but those provided paths, and records
// it with baton's identity.
import { commitPatch, git, gitOut } from '../git/run-git.ts';
import { parseNameStatus } from '../review/scope-check.ts';
import { taskBranchName } from '../workspace/baton-paths.ts';
import { prepareWorkspace } from '../workspace/prepare-workspace.ts';
import { addRunWorktree, removeRunWorktree, type WarmPolicy } from '../workspace/run-worktrees.ts';
import { NO_PROVISIONS, providedPathspecs, type WorkspaceProvisions } from '../workspace/workspace-provisions.ts';
import type { TaskWorkspace, WorkspacePort } from './engine-ports.ts';

export function gitWorkspaces(options: { repo: string; warm?: WarmPolicy | undefined; provisions?: WorkspaceProvisions | undefined }): WorkspacePort {
  const { repo, warm } = options;
  const provisions = options.provisions ?? NO_PROVISIONS;
  return {
    async create({ runId, task, attempt, fromCommit }) {
      const branch = taskBranchName(runId, task.id);
      const dir = await addRunWorktree({ repo, runId, leaf: `${task.id}-${attempt}`, start: { kind: 'reset-branch', branch, commit: fromCommit }, warm });
      try {
        await prepareWorkspace({ dir, provisions });
      } catch (error) {
        await removeRunWorktree({ repo, dir });
        throw error;
      }
      return { dir, branch };
    },

    async commit({ workspace, message }) {
      const cwd = workspace.dir;
      await git(['add', '--all'], { cwd });
      const provided = providedPathspecs(provisions);
      if (provided.length > 0) await git(['rm', '--cached', '-r', '-q', '--ignore-unmatch', '--', ...provided], { cwd });
      const changed = parseNameStatus((await git(['diff', '--cached', '--name-status', '-z', '-M'], { cwd })).stdout);
      if (changed.length === 0) return undefined;
      await git(['commit', '--quiet', '--no-verify', '-m', message], { cwd });
      const commit = await gitOut(['rev-parse', 'HEAD'], { cwd });
      const diff = await commitPatch(cwd, ['show', '--format=', '--patch', commit]);
      return { commit, changed, diff };
    },

    async remove(workspace: TaskWorkspace) {
      await removeRunWorktree({ repo, dir: workspace.dir });
    },
  };
}
