// Writes a planned patch all-or-nothing, beneath the root by descriptor. Each file's directory is
// reached again by a walk that never lets the kernel follow a symlink (missing directories are
// made on the way); the new text goes to a temporary file created in that directory's descriptor
// and is renamed over the name there, so nothing can be created or replaced outside the root
// whatever the tree does meanwhile. A file that is not the one planned against (replaced, or
// appeared) stops the write, and every file already changed is put back.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, openSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { BeneathError, fdPath, walkBeneath, type RootHandle } from '../confine/beneath.ts';

/** The file a change was planned against: a write stops unless the same file is still there. */
export interface FileIdentity {
  dev: number;
  ino: number;
  /** Permission bits, restored on the new text and on rollback. */
  mode: number;
}

export interface ResolvedChange {
  /** Root-relative path, as reached when the change was planned. */
  rel: string;
  action: 'modify' | 'create' | 'delete';
  before?: string;
  after?: string;
  /** Required for modify and delete. */
  identity?: FileIdentity;
}

export interface WriteOptions {
  /** Called with each path as reached at write time, before anything is written there; throws to refuse. */
  recheck?: (rel: string) => void;
}

/** The workspace changed between planning and writing; nothing was left half-written. */
export class WriteConflictError extends Error {
  override name = 'WriteConflictError';
}

interface Done {
  change: ResolvedChange;
  parentFd: number;
  name: string;
}

const NEW_FILE_MODE = 0o644;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export function writeChanges(root: RootHandle, changes: readonly ResolvedChange[], options: WriteOptions = {}): void {
  const done: Done[] = [];
  const createdDirs: string[] = [];
  const open: number[] = [];
  try {
    for (const change of changes) {
      const end = walkBeneath(root, change.rel, { followDirectories: false, followFinal: false, createDirectories: createdDirs });
      open.push(end.parentFd);
      if (end.rel !== change.rel) throw new WriteConflictError(`${change.rel} moved while the patch was being applied`);
      options.recheck?.(end.rel);
      if (change.action === 'create') {
        if (end.stat !== undefined) throw new WriteConflictError(`${change.rel} appeared while the patch was being applied`);
      } else if (!end.stat || !end.stat.isFile() || end.stat.ino !== change.identity?.ino || end.stat.dev !== change.identity.dev || !stillReads(end.parentFd, end.name, change.before!)) {
        throw new WriteConflictError(`${change.rel} was changed or replaced while the patch was being applied`);
      }
      if (change.action === 'delete') unlinkSync(fdPath(end.parentFd, end.name));
      else replaceFile(end.parentFd, end.name, change.after!, change.identity?.mode ?? NEW_FILE_MODE);
      done.push({ change, parentFd: end.parentFd, name: end.name });
    }
  } catch (error) {
    rollBack(root, done, createdDirs);
    throw error instanceof BeneathError ? new WriteConflictError(`${error.message} (the workspace changed while the patch was being applied)`) : error;
  } finally {
    for (const fd of open) closeSync(fd);
  }
}

/** Whether the file still holds the text the change was planned against (an inode number alone can be reused). */
function stillReads(dirFd: number, name: string, before: string): boolean {
  let fd: number;
  try {
    fd = openSync(fdPath(dirFd, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    return fstatSync(fd).isFile() && readFileSync(fd).equals(Buffer.from(before, 'utf8'));
  } finally {
    closeSync(fd);
  }
}

/** Writes `text` to a new temporary file in the directory and renames it over `name` there. */
function replaceFile(dirFd: number, name: string, text: string, mode: number): void {
  const temp = `.${name}.baton-${randomBytes(4).toString('hex')}`;
  const fd = openSync(fdPath(dirFd, temp), CREATE_FLAGS, mode);
  try {
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
    renameSync(fdPath(dirFd, temp), fdPath(dirFd, name));
  } catch (error) {
    try {
      unlinkSync(fdPath(dirFd, temp));
    } catch {
      // Already renamed or never created.
    }
    throw error;
  }
}

function rollBack(root: RootHandle, done: Done[], createdDirs: string[]): void {
  for (const { change, parentFd, name } of done.reverse()) {
    try {
      if (change.action === 'create') unlinkSync(fdPath(parentFd, name));
      else replaceFile(parentFd, name, change.before!, change.identity?.mode ?? NEW_FILE_MODE);
    } catch {
      // Best effort: the error being thrown names the failure; the rest were restored.
    }
  }
  for (const rel of createdDirs.reverse()) {
    try {
      const end = walkBeneath(root, rel, { followDirectories: false, followFinal: false });
      try {
        if (end.stat?.isDirectory()) rmdirSync(fdPath(end.parentFd, end.name));
      } finally {
        closeSync(end.parentFd);
      }
    } catch {
      // Not empty or gone: leave it.
    }
  }
}

/** Permission bits and identity of an open file, for ResolvedChange.identity. */
export function identityOf(stat: { dev: number; ino: number; mode: number }): FileIdentity {
  return { dev: stat.dev, ino: stat.ino, mode: stat.mode & 0o7777 };
}
