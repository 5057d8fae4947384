// Opens the run store of the repository a command names (--repo, default the current
// directory) and resolves run ids, so every command finds runs the same way.
import path from 'node:path';
import { UsageError } from '@baton/mcp-tools';
import { GitError, gitOut } from '../git/run-git.ts';
import { openRepoStore, type RunStore } from '../store/run-store.ts';

export interface RepoStore {
  repo: string;
  store: RunStore;
}

/** The top level of the git repository containing `dir`, or a usage error saying so. */
export async function repoTopLevel(dir: string): Promise<string> {
  try {
    return await gitOut(['rev-parse', '--show-toplevel'], { cwd: path.resolve(dir) });
  } catch (error) {
    if (error instanceof GitError || (error as { code?: string }).code === 'ENOENT') {
      throw new UsageError(`${path.resolve(dir)} is not inside a git repository; pass --repo <dir> of one`);
    }
    throw error;
  }
}

export async function openStoreFor(repoOption: string | undefined): Promise<RepoStore> {
  const repo = await repoTopLevel(repoOption ?? process.cwd());
  return { repo, store: await openRepoStore({ repoRoot: repo }) };
}

/** The named run, or the newest when none is named. */
export function resolveRunId(store: RunStore, runId: string | undefined): string {
  if (runId !== undefined) {
    if (!store.hasRun(runId)) throw new UsageError(`no run ${runId} in this repository; see baton status for the runs`);
    return runId;
  }
  const newest = store.listRuns().sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!newest) throw new UsageError('this repository has no baton runs yet; start one with baton run "<ticket>"');
  return newest.runId;
}

export async function withStore<T>(repoOption: string | undefined, fn: (opened: RepoStore) => Promise<T> | T): Promise<T> {
  const opened = await openStoreFor(repoOption);
  try {
    return await fn(opened);
  } finally {
    opened.store.close();
  }
}
