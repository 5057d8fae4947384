// Checks paths that another program (ripgrep) reported while it walked the tree on its own, by
// walking each one again by descriptor with no symlink followed. A result counts only if it is a
// regular file reached that way beneath the root: a directory swapped for a symlink during
// ripgrep's walk makes its results fail here instead of leaking what lies behind the link.
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';
import path from 'node:path';
import { fdPath, type RootHandle } from './beneath.ts';

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
const FILE_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
/** Directory descriptors kept open at once; the oldest is closed past this. */
const MAX_CACHED_DIRS = 256;
const MISSING = -1;

export interface PathVerifier {
  /** lstat of `rel` when it is a regular file reached without symlinks, else undefined. */
  regularFile(rel: string): Stats | undefined;
  /** Opens `rel` for reading when it is a regular file reached without symlinks; the caller closes it. */
  openRegularFile(rel: string): { fd: number; stat: Stats } | undefined;
  /** Closes every descriptor the verifier holds. */
  close(): void;
}

export function createPathVerifier(root: RootHandle): PathVerifier {
  const dirs = new Map<string, number>();

  function dirFd(rel: string): number {
    if (rel === '' || rel === '.') return root.fd;
    const cached = dirs.get(rel);
    if (cached !== undefined) return cached;
    const parent = dirFd(path.posix.dirname(rel));
    let fd = MISSING;
    if (parent !== MISSING) {
      try {
        fd = openSync(fdPath(parent, path.posix.basename(rel)), DIR_FLAGS);
      } catch {
        fd = MISSING;
      }
    }
    if (dirs.size >= MAX_CACHED_DIRS) evictOldest();
    dirs.set(rel, fd);
    return fd;
  }

  function evictOldest(): void {
    const [oldest, fd] = dirs.entries().next().value as [string, number];
    dirs.delete(oldest);
    if (fd !== MISSING) closeSync(fd);
  }

  function entry(rel: string): string | undefined {
    if (rel === '' || rel.startsWith('/') || rel.split('/').some((c) => c === '..' || c === '.' || c === '')) return undefined;
    const dir = dirFd(path.posix.dirname(rel));
    return dir === MISSING ? undefined : fdPath(dir, path.posix.basename(rel));
  }

  return {
    regularFile(rel) {
      const at = entry(rel);
      if (at === undefined) return undefined;
      try {
        const stat = lstatSync(at);
        return stat.isFile() ? stat : undefined;
      } catch {
        return undefined;
      }
    },
    openRegularFile(rel) {
      const at = entry(rel);
      if (at === undefined) return undefined;
      let fd: number;
      try {
        fd = openSync(at, FILE_FLAGS);
      } catch {
        return undefined;
      }
      const stat = fstatSync(fd);
      if (stat.isFile()) return { fd, stat };
      closeSync(fd);
      return undefined;
    },
    close() {
      for (const fd of dirs.values()) if (fd !== MISSING) closeSync(fd);
      dirs.clear();
    },
  };
}
