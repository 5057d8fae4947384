// Brings one accepted task commit onto the run branch, checked out in the run's own
// integration worktree. A conflict is detected, described and rolled back, leaving the
// run branch as it was, so a merge worker (or a human) can reconcile it.
import { git, gitOut, PATCH_ARGS } from '../git/run-git.ts';

export type IntegrationOutcome =
  | { kind: 'merged'; commit: string }
  | { kind: 'already_applied' }
  | { kind: 'conflict'; files: string[]; conflictDiff: string };

export async function cherryPickTask(options: { integrationDir: string; taskCommit: string }): Promise<IntegrationOutcome> {
  const cwd = options.integrationDir;
  const before = await gitOut(['rev-parse', 'HEAD'], { cwd });
  const pick = await git(['cherry-pick', '--no-edit', '--allow-empty', '--keep-redundant-commits', options.taskCommit], { cwd, allowFailure: true });
  if (pick.exitCode === 0) {
    const after = await gitOut(['rev-parse', 'HEAD'], { cwd });
    const changed = await gitOut(['diff', '--name-only', before, after], { cwd });
    if (changed === '') {
      await git(['reset', '--hard', before], { cwd });
      return { kind: 'already_applied' };
    }
    return { kind: 'merged', commit: after };
  }
  const files = (await gitOut(['diff', '--name-only', '--diff-filter=U'], { cwd })).split('\n').filter(Boolean);
  const conflictDiff = (await git(['diff', ...PATCH_ARGS], { cwd, allowFailure: true })).stdout;
  await git(['cherry-pick', '--abort'], { cwd, allowFailure: true });
  await git(['reset', '--hard', before], { cwd });
  if (files.length === 0) throw new Error(`cherry-pick of ${options.taskCommit} failed without conflicts: ${pick.stderr.trim()}`);
  return { kind: 'conflict', files, conflictDiff };
}

/** Undoes the newest merge on the run branch (used when tests after a merge fail). */
export async function dropLastMerge(options: { integrationDir: string; expectedHead: string }): Promise<void> {
  const head = await gitOut(['rev-parse', 'HEAD'], { cwd: options.integrationDir });
  if (head !== options.expectedHead) throw new Error(`run branch moved (HEAD ${head}, expected ${options.expectedHead}); not dropping`);
  await git(['reset', '--hard', 'HEAD~1'], { cwd: options.integrationDir });
}
