// The one place baton makes and removes checkouts: git worktrees under
// `<git common dir>/baton/worktrees/<run>/<leaf>`. Every change goes through the worktree
// queue. Before `git worktree add` the target is written to an intent file, so the entry a
// process killed mid-add leaves behind (locked "initializing", perhaps without a `gitdir` yet)
// is recognised as baton's and removed; entries that are not baton's are never touched.
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git } from '../git/run-git.ts';
import { gitCommonDir, runWorktreesDir } from './baton-paths.ts';
import { isInside, pathForms, readWorktreeAdmins } from './worktree-admin.ts';
import { serializeWorktreeOps } from './worktree-queue.ts';

/** What the new checkout holds. */
export type WorktreeStart =
  /** An existing branch, as it is (the run branch in its integration checkout). */
  | { kind: 'branch'; branch: string }
  /** A branch created, or moved, to `commit` (a task branch for a new attempt). */
  | { kind: 'reset-branch'; branch: string; commit: string }
  | { kind: 'detached'; commit: string };

const INTENT_FILE = '.adding';

export async function addRunWorktree(input: { repo: string; runId: string; leaf: string; start: WorktreeStart }): Promise<string> {
  const commonDir = await gitCommonDir(input.repo);
  const runDir = runWorktreesDir(commonDir, input.runId);
  const dir = path.join(runDir, input.leaf);
  return serializeWorktreeOps(commonDir, async () => {
    removeWorktreeFiles(commonDir, [dir]);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(path.join(runDir, INTENT_FILE), dir);
    const start = input.start;
    const args =
      start.kind === 'branch'
        ? [dir, start.branch]
        : start.kind === 'reset-branch'
          ? ['-B', start.branch, dir, start.commit]
          : ['--detach', dir, start.commit];
    try {
      await git(['worktree', 'add', '--force', '--quiet', ...args], { cwd: input.repo });
    } catch (error) {
      removeWorktreeFiles(commonDir, [dir]);
      throw error;
    } finally {
      rmSync(path.join(runDir, INTENT_FILE), { force: true });
    }
    return dir;
  });
}

/** Removes one of baton's checkouts (a no-op when it is already gone). */
export async function removeRunWorktree(input: { repo: string; dir: string }): Promise<void> {
  const commonDir = await gitCommonDir(input.repo);
  await serializeWorktreeOps(commonDir, async () => {
    await git(['worktree', 'remove', '--force', '--force', input.dir], { cwd: input.repo, allowFailure: true });
    removeWorktreeFiles(commonDir, [input.dir]);
  });
}

/**
 * Removes every checkout of a run, whole or half-made, and git's entries for them. Only for a
 * run no live process is driving (the caller holds its lock). Returns what it removed.
 */
export async function removeRunWorktrees(input: { repo: string; runId: string }): Promise<string[]> {
  const commonDir = await gitCommonDir(input.repo);
  const runDir = runWorktreesDir(commonDir, input.runId);
  return serializeWorktreeOps(commonDir, async () => {
    let intended: string | undefined;
    try {
      intended = readFileSync(path.join(runDir, INTENT_FILE), 'utf8').trim();
    } catch {
      intended = undefined;
    }
    const removed = removeWorktreeFiles(commonDir, [runDir], intended);
    rmSync(runDir, { recursive: true, force: true });
    for (const dir of [path.join(commonDir, 'baton', 'worktrees'), path.join(commonDir, 'worktrees')]) removeIfEmpty(dir);
    return removed;
  });
}

/**
 * Deletes git's entries for worktrees inside `dirs` (and, for the entry of an interrupted add
 * that has no `gitdir` yet, the one named after `intended`), then the directories themselves.
 * Call inside the worktree queue.
 */
function removeWorktreeFiles(commonDir: string, dirs: readonly string[], intended?: string): string[] {
  const forms = dirs.flatMap(pathForms);
  const intendedName = intended !== undefined ? new RegExp(`^${escapeRegExp(path.basename(intended))}\\d*$`) : undefined;
  const removed: string[] = [];
  for (const admin of readWorktreeAdmins(commonDir)) {
    const ours = admin.worktreeDir !== undefined ? isInside(admin.worktreeDir, forms) : intendedName?.test(admin.name) === true && admin.locked !== undefined;
    if (!ours) continue;
    rmSync(admin.adminDir, { recursive: true, force: true });
    removed.push(admin.worktreeDir ?? admin.name);
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  return removed;
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty, or already gone.
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
