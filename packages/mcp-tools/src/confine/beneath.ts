// Path resolution beneath a root by descriptor. Each component is looked up relative to the
// descriptor of the directory before it (through /proc/self/fd/N, which is Linux's openat), and
// every directory is opened with O_NOFOLLOW|O_DIRECTORY: the kernel never follows a symlink for
// us. Symlinks are read here and judged as text against the root, so a directory swapped for a
// symlink between a check and a use cannot lead anywhere the walk did not decide to go.
import { constants, lstatSync, mkdirSync, openSync, closeSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = constants;
const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
/** Linux's limit on symlinks followed in one lookup; a walk gives up after as many. */
const MAX_SYMLINK_HOPS = 40;

/** The path through which the kernel resolves `name` inside the directory open as `fd`. */
export function fdPath(fd: number, name?: string): string {
  return name === undefined ? `/proc/self/fd/${fd}` : `/proc/self/fd/${fd}/${name}`;
}

export type BeneathFailure = 'not_found' | 'not_directory' | 'symlink' | 'symlink_escape' | 'too_many_links' | 'changed';

/** A walk stopped: the entry is missing, leads out of the root, or changed under the walk. */
export class BeneathError extends Error {
  override name = 'BeneathError';
  readonly reason: BeneathFailure;
  /** Root-relative path (as walked) where the walk stopped. */
  readonly at: string;
  constructor(reason: BeneathFailure, at: string, message: string) {
    super(message);
    this.reason = reason;
    this.at = at;
  }
}

/** The root a walk starts from: its real absolute path and an open descriptor of it. */
export interface RootHandle {
  readonly path: string;
  readonly fd: number;
}

/** Opens the root directory (a real path, not a symlink). Close it with closeRoot. */
export function openRoot(rootPath: string): RootHandle {
  return { path: rootPath, fd: openSync(rootPath, DIR_FLAGS) };
}

export function closeRoot(root: RootHandle): void {
  closeSync(root.fd);
}

export interface WalkOptions {
  /** Follow symlinks in directory components (judged against the root). */
  followDirectories: boolean;
  /** Follow a symlink in the final component. When false, a final symlink is returned as one. */
  followFinal: boolean;
  /** Create missing directories on the way (mode 0755); their root-relative paths are appended here. */
  createDirectories?: string[];
  /** End the walk at a missing directory, as if the path's final entry were missing (for files still to be created). */
  endAtMissingDirectory?: boolean;
}

/** Where a walk ended: the final entry's directory (an open descriptor the caller closes) and its name. */
export interface WalkEnd {
  /** Descriptor of the directory holding the final entry; owned by the caller. */
  parentFd: number;
  /** Real root-relative path of the final entry, as reached without the kernel following links. */
  rel: string;
  /** Name of the final entry in its directory ('' when the walk ended at the root itself; the missing directory when it ended at one). */
  name: string;
  /** lstat of the final entry; undefined when it does not exist. */
  stat: Stats | undefined;
}

/**
 * Walks `rel` (root-relative, already lexically inside the root) from the root's descriptor.
 * Throws BeneathError when a component is missing (except the last), is not a directory, or is a
 * symlink that leaves the root or that the options do not allow.
 */
export function walkBeneath(root: RootHandle, rel: string, options: WalkOptions): WalkEnd {
  let pending = components(rel);
  let dirFd = root.fd;
  let dirParts: string[] = [];
  let hops = 0;
  const leave = () => {
    if (dirFd !== root.fd) closeSync(dirFd);
  };
  const restartAt = (parts: string[]) => {
    leave();
    dirFd = root.fd;
    dirParts = [];
    pending = parts;
  };
  try {
    for (;;) {
      if (pending.length === 0) {
        // The walk ended at a directory it holds (the root, or after a symlink to a directory).
        if (dirParts.length === 0) return { parentFd: reopenDirectory(root.fd), rel: '', name: '', stat: lstatSync(fdPath(root.fd, '.')) };
        const name = dirParts.pop()!;
        restartAt([...dirParts, name]);
        continue;
      }
      const name = pending.shift()!;
      if (name === '..') {
        if (dirParts.length === 0) throw new BeneathError('symlink_escape', '', 'a symlink leads outside the repository root');
        restartAt([...dirParts.slice(0, -1), ...pending]);
        continue;
      }
      const here = [...dirParts, name].join('/');
      const last = pending.length === 0;
      const stat = lstatOrMissing(fdPath(dirFd, name));
      if (stat === undefined) {
        if (last) return done({ dirFd, name, rel: here, stat });
        if (options.endAtMissingDirectory && !pending.includes('..')) return done({ dirFd, name, rel: [here, ...pending].join('/'), stat });
        if (!options.createDirectories) throw new BeneathError('not_found', here, `"${here}" does not exist`);
        if (++hops > MAX_SYMLINK_HOPS) throw new BeneathError('changed', here, `"${here}" keeps changing while it is being created`);
        makeDirectory(dirFd, name);
        options.createDirectories.push(here);
        pending.unshift(name);
        continue;
      }
      if (stat.isSymbolicLink()) {
        if (last && !options.followFinal) return done({ dirFd, name, rel: here, stat });
        if (!last && !options.followDirectories) throw new BeneathError('symlink', here, `"${here}" is a symlink`);
        if (++hops > MAX_SYMLINK_HOPS) throw new BeneathError('too_many_links', here, `"${here}" goes through too many symlinks`);
        const target = readlinkSync(fdPath(dirFd, name));
        if (path.isAbsolute(target)) {
          const inside = path.relative(root.path, target);
          if (inside === '..' || inside.startsWith('../') || path.isAbsolute(inside)) throw new BeneathError('symlink_escape', here, `"${here}" is a symlink that leads outside the repository root`);
          restartAt([...components(inside), ...pending]);
        } else {
          pending = [...components(target), ...pending];
        }
        continue;
      }
      if (last) return done({ dirFd, name, rel: here, stat });
      if (!stat.isDirectory()) throw new BeneathError('not_directory', here, `"${here}" is not a directory`);
      let next: number;
      try {
        next = openSync(fdPath(dirFd, name), DIR_FLAGS);
      } catch (error) {
        // Swapped for a symlink or a file since the lstat: look at it again, within the hop limit.
        if (!isCode(error, 'ELOOP', 'ENOTDIR', 'ENOENT') || ++hops > MAX_SYMLINK_HOPS) throw changedOr(error, here);
        pending.unshift(name);
        continue;
      }
      leave();
      dirFd = next;
      dirParts.push(name);
    }
  } catch (error) {
    leave();
    throw error;
  }

  function done(end: { dirFd: number; name: string; rel: string; stat: Stats | undefined }): WalkEnd {
    // The caller owns the parent descriptor; the root's own stays the root handle's.
    const parentFd = end.dirFd === root.fd ? reopenDirectory(root.fd) : end.dirFd;
    return { parentFd, rel: end.rel, name: end.name, stat: end.stat };
  }
}

/** A second descriptor of an open directory ("." inside it: /proc/self/fd/N itself is a link O_NOFOLLOW refuses). */
function reopenDirectory(fd: number): number {
  return openSync(fdPath(fd, '.'), DIR_FLAGS);
}

/** Non-empty, non-"." components of a POSIX path. */
function components(rel: string): string[] {
  return rel.split('/').filter((c) => c !== '' && c !== '.');
}

function lstatOrMissing(at: string): Stats | undefined {
  try {
    return lstatSync(at);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function makeDirectory(dirFd: number, name: string): void {
  try {
    mkdirSync(fdPath(dirFd, name), { mode: 0o755 });
  } catch (error) {
    // Made by someone else meanwhile: the walk looks at it again like any existing entry.
    if (!isCode(error, 'EEXIST')) throw error;
  }
}

export function isCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && codes.includes(code);
}

function changedOr(error: unknown, at: string): Error {
  if (isCode(error, 'ELOOP', 'ENOTDIR', 'ENOENT')) return new BeneathError('changed', at, `"${at}" changed while it was being opened`);
  return error as Error;
}
