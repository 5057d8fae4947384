// Where baton keeps its own git state in a repository: `<git common dir>/baton/` (the store,
// one directory of worktrees per run, and the warm worktrees), the run branch `baton/<run>`, task branches
// `baton-tasks/<run>/<task>` and keep-refs `refs/baton/<run>/tasks/<task>`. Everything named
// here is baton's; baton repairs or removes nothing outside it.
import path from 'node:path';
import { gitOut } from '../git/run-git.ts';

/** The repository's git common directory, absolute (shared by all its worktrees). */
export async function gitCommonDir(repo: string): Promise<string> {
  return path.resolve(repo, await gitOut(['rev-parse', '--git-common-dir'], { cwd: repo }));
}

export async function batonDir(repo: string): Promise<string> {
  return path.join(await gitCommonDir(repo), 'baton');
}

/** `<git common dir>/baton/worktrees/<run>`: every checkout of one run lives here. */
export function runWorktreesDir(commonDir: string, runId: string): string {
  return path.join(commonDir, 'baton', 'worktrees', runId);
}

/** `<git common dir>/baton/warm`: warm worktrees kept between tasks and runs (see warm-slots.ts). */
export function warmWorktreesDir(commonDir: string): string {
  return path.join(commonDir, 'baton', 'warm');
}

export function runBranchRef(runId: string): string {
  return `refs/heads/baton/${runId}`;
}

export function runBranchName(runId: string): string {
  return `baton/${runId}`;
}

/** git cannot hold `baton/<run>` and `baton/<run>/<task>` at once, hence the second prefix. */
export function taskBranchName(runId: string, taskId: string): string {
  return `baton-tasks/${runId}/${taskId}`;
}

export function taskBranchesPrefix(runId: string): string {
  return `refs/heads/baton-tasks/${runId}/`;
}

/** Not a branch: keeps a finished run's task commits reachable (for baton diff --task) after its task branches go. */
export function taskKeepRef(runId: string, taskId: string): string {
  return `refs/baton/${runId}/tasks/${taskId}`;
}
