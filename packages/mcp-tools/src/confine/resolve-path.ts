// The lexical half of path confinement, pure: a requested path resolved against the root as
// text. What the file system holds there is judged by the descriptor walk in beneath.ts.
import path from 'node:path';

export type PathRejection = 'nul_byte' | 'backslash' | 'outside_root';

export type ResolvedPath = { ok: true; abs: string; rel: string };
export type RejectedPath = { ok: false; reason: PathRejection; message: string };
export type PathCheck = ResolvedPath | RejectedPath;

function reject(reason: PathRejection, message: string): RejectedPath {
  return { ok: false, reason, message };
}

/** Root-relative POSIX form of an absolute path known to be inside `root` ('' for the root). */
export function toRelative(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

/** True when `abs` is `root` itself or below it; `/repo-other` is not below `/repo`. */
export function isInside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  if (rel === '') return true;
  if (path.isAbsolute(rel)) return false;
  return !isParentStep(rel);
}

function isParentStep(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${path.sep}`);
}

/**
 * Lexically resolves what a client asked for against `root` (an absolute, real path).
 * Rejects NUL bytes, backslashes, and anything that lands outside the root.
 */
export function resolveRequestedPath(root: string, requested: string): PathCheck {
  if (requested.includes('\0')) return reject('nul_byte', 'path contains a NUL byte');
  if (requested.includes('\\')) {
    return reject('backslash', `path "${requested}" contains a backslash; use forward slashes, relative to the repository root`);
  }
  const trimmed = requested.trim();
  const abs = path.resolve(root, trimmed === '' ? '.' : trimmed);
  if (!isInside(root, abs)) {
    return reject('outside_root', `path "${requested}" is outside the repository root; use a path relative to the root`);
  }
  return { ok: true, abs, rel: toRelative(root, abs) };
}

/** True when any segment of a root-relative path is `.git` (any case: some file systems fold case). */
export function isGitPath(rel: string): boolean {
  return rel.split('/').some((segment) => segment.toLowerCase() === '.git');
}
