// git's administrative directories of linked worktrees, `<common dir>/worktrees/<name>/`, read
// from the file system rather than through `git worktree list` (which fails outright on a
// half-made entry). Layout as in gitrepository-layout(5): `gitdir` holds the path of the
// worktree's `.git` file, `locked` says why a worktree is locked ("initializing" while
// `git worktree add` is still making it).
import { readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface WorktreeAdmin {
  name: string;
  adminDir: string;
  /** The worktree's directory, from `gitdir`; undefined when git had not written it yet. */
  worktreeDir?: string;
  /** Contents of `locked`, when present. */
  locked?: string;
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function readWorktreeAdmins(commonDir: string): WorktreeAdmin[] {
  const root = path.join(commonDir, 'worktrees');
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names.map((name) => {
    const adminDir = path.join(root, name);
    const gitdir = readOptional(path.join(adminDir, 'gitdir'))?.trim();
    const locked = readOptional(path.join(adminDir, 'locked'));
    return {
      name,
      adminDir,
      ...(gitdir ? { worktreeDir: path.dirname(path.resolve(adminDir, gitdir)) } : {}),
      ...(locked !== undefined ? { locked: locked.trim() } : {}),
    };
  });
}

/** `dir` and, when it exists, its real path: git records real paths, callers may hold either. */
export function pathForms(dir: string): string[] {
  try {
    const real = realpathSync(dir);
    return real === dir ? [dir] : [dir, real];
  } catch {
    return [dir];
  }
}

export function isInside(candidate: string, dirs: readonly string[]): boolean {
  return dirs.some((dir) => candidate === dir || candidate.startsWith(dir + path.sep));
}

/**
 * Deletes git's entries for worktrees inside `dirs` (and, for the entry of an interrupted add
 * that has no `gitdir` yet, the one named after `intended`), then the directories themselves.
 * Call inside the worktree queue.
 */
export function removeWorktreeFiles(commonDir: string, dirs: readonly string[], intended?: string): string[] {
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
