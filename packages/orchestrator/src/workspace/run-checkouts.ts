// What a run leaves in the repository, put right: before a process drives a run, whatever a
// killed process of the same run left (checkouts whole or half-made, git's entries for them,
// stale locks on the run's refs) is removed; after a run finishes, its checkouts and task
// branches go, and each task's last commit stays reachable under refs/baton/<run>/tasks/<task>.
// Both are idempotent, so a process killed halfway through is finished by the next.
import { git } from '../git/run-git.ts';
import { gitCommonDir, taskBranchesPrefix, taskKeepRef } from './baton-paths.ts';
import { removeRunWorktrees } from './run-worktrees.ts';
import { removeStalePackedRefsLock, removeStaleRunRefLocks } from './stale-ref-locks.ts';

export interface RepairReport {
  /** Checkouts (or git entries of half-made ones) that were removed. */
  worktrees: string[];
  /** Lock files a killed git left on the run's refs. */
  locks: string[];
}

export interface RepairOptions {
  /** When the process that died holding the run started (RunWriter.takenOverFrom): its shared locks may be cleared too. */
  crashedProcessSince?: Date | undefined;
}

/** For a run no live process drives (the caller holds its lock): clears what a killed process left. */
export async function repairRunCheckouts(repo: string, runId: string, options: RepairOptions = {}): Promise<RepairReport> {
  const commonDir = await gitCommonDir(repo);
  const worktrees = await removeRunWorktrees({ repo, runId });
  const locks = removeStaleRunRefLocks(commonDir, runId);
  if (options.crashedProcessSince) {
    const packed = await removeStalePackedRefsLock(commonDir, options.crashedProcessSince);
    if (packed) locks.push(packed);
  }
  return { worktrees, locks };
}

export interface FinishedRunCleanup extends RepairReport {
  /** Task branches deleted. */
  branches: string[];
}

/**
 * After a run finished: removes its checkouts and task branches. `taskCommits` (each task's
 * latest commit) stay reachable under keep-refs, so `baton diff --task` and a later approval
 * still find them. The run branch baton/<run> stays.
 */
export async function cleanUpFinishedRun(input: { repo: string; runId: string; taskCommits: Readonly<Record<string, string>> } & RepairOptions): Promise<FinishedRunCleanup> {
  const { repo, runId } = input;
  const repaired = await repairRunCheckouts(repo, runId, { crashedProcessSince: input.crashedProcessSince });
  const branches = (await git(['for-each-ref', '--format=%(refname)', taskBranchesPrefix(runId)], { cwd: repo })).stdout.split('\n').filter(Boolean);
  const present = await existingCommits(repo, Object.values(input.taskCommits));
  const commands = [
    ...Object.entries(input.taskCommits)
      .filter(([, commit]) => present.has(commit))
      .map(([taskId, commit]) => `update ${taskKeepRef(runId, taskId)} ${commit}`),
    ...branches.map((ref) => `delete ${ref}`),
  ];
  if (commands.length > 0) await git(['update-ref', '--stdin'], { cwd: repo, input: `${commands.join('\n')}\n` });
  return { ...repaired, branches };
}

async function existingCommits(repo: string, commits: readonly string[]): Promise<Set<string>> {
  if (commits.length === 0) return new Set();
  const out = (await git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { cwd: repo, input: `${commits.join('\n')}\n` })).stdout;
  return new Set(
    out
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, type]) => type === 'commit')
      .map(([name]) => name!),
  );
}
