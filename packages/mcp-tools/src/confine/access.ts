// Turns a path a model asked for into something a tool may use — an open descriptor of a regular
// file, a directory to list, or a place to write — or a ToolError that says why not and what to
// do instead. Names are checked against the grant before the file system is touched; what the
// walk really reached is checked again, so a symlink cannot lend a permitted name to a file the
// grant does not cover.
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';
import { canRead, canWrite } from '../permissions.ts';
import { ToolError } from '../tools/tool-error.ts';
import type { ToolContext } from '../tools/tool.ts';
import { BeneathError, closeRoot, fdPath, isCode, openRoot, walkBeneath, type RootHandle, type WalkEnd, type WalkOptions } from './beneath.ts';
import { isGitPath, resolveRequestedPath } from './resolve-path.ts';

export type Access = 'read' | 'write';

let descriptorPathsChecked = false;

/** Whether /proc/self/fd names open directories here (checked once per process: it does not change). */
function descriptorPathsWork(root: RootHandle): boolean {
  if (descriptorPathsChecked) return true;
  try {
    descriptorPathsChecked = lstatSync(fdPath(root.fd, '.')).isDirectory();
  } catch {
    descriptorPathsChecked = false;
  }
  return descriptorPathsChecked;
}

/** Runs `use` with the session's root open as a descriptor, closed afterwards. */
export async function withRoot<T>(ctx: ToolContext, use: (root: RootHandle) => T | Promise<T>): Promise<T> {
  let root: RootHandle;
  try {
    root = openRoot(ctx.root);
  } catch (error) {
    throw new ToolError({ code: 'root_unavailable', message: `the repository root cannot be opened (${(error as Error).message}); report this to your operator`, fault: 'environment' });
  }
  if (!descriptorPathsWork(root)) {
    closeRoot(root);
    throw new ToolError({ code: 'confinement_unavailable', message: 'baton confines every path through /proc/self/fd (Linux, with /proc mounted), which is not available here, so no file is opened; report this to your operator', fault: 'environment' });
  }
  try {
    return await use(root);
  } finally {
    closeRoot(root);
  }
}

/** O_NONBLOCK: opening a FIFO that appeared since the lstat must not wait for a writer. */
const FILE_READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

/** The root-relative form of a requested path, refused (before any file system access) when the grant does not allow it. */
export function requestedPath(ctx: ToolContext, requested: string, access: Access): string {
  const lexical = resolveRequestedPath(ctx.root, requested);
  if (!lexical.ok) throw deny(ctx, { path: requested, access, reason: lexical.reason, message: lexical.message });
  checkGrant(ctx, lexical.rel, access);
  return lexical.rel;
}

/** Throws unless the grant allows `access` to root-relative `rel`. `via` names the path a symlink was reached through. */
export function checkGrant(ctx: ToolContext, rel: string, access: Access, via?: string): void {
  if (access === 'write' && isGitPath(rel)) {
    throw deny(ctx, { path: rel, access, reason: 'git_dir', message: `"${via ?? rel}" is ${via ? 'a symlink into' : 'inside'} .git, which tools never write; change working-tree files only` });
  }
  if (rel !== '' && (access === 'read' ? canRead : canWrite)(ctx.grant, rel)) return;
  const scope = access === 'read' ? ctx.grant.read : ctx.grant.write;
  const hint = scope.length === 0 ? `this session may not ${access} any files` : `allowed ${access} globs: ${scope.join(', ')}`;
  const what = via ? `"${via}" goes through a symlink to a path` : `"${rel}" is`;
  // The audit names the path really reached; the model is told only about the name it used.
  throw deny(ctx, { path: rel, access, reason: 'out_of_scope', message: `${what} outside this session's ${access} scope (${hint})` });
}

/** Walks beneath the root, turning walk failures into tool errors about `rel`. */
export function walk(ctx: ToolContext, root: RootHandle, rel: string, access: Access, options: WalkOptions): WalkEnd {
  try {
    return walkBeneath(root, rel, options);
  } catch (error) {
    throw walkError(ctx, error, rel, access);
  }
}

export interface OpenedFile {
  /** Open descriptor of a regular file; the caller closes it. */
  fd: number;
  /** Root-relative path as requested (normalized). */
  rel: string;
  /** Root-relative path actually reached (differs when in-root symlinks were followed). */
  realRel: string;
  stat: Stats;
}

/**
 * Opens a readable regular file. In-root symlinks are followed by the walk (never by the kernel),
 * and both the requested and the reached path must be readable. FIFOs, sockets and devices are
 * refused without being opened for I/O, so no call can block on one.
 */
export function openForRead(ctx: ToolContext, root: RootHandle, requested: string): OpenedFile {
  const rel = requestedPath(ctx, requested, 'read');
  const end = walk(ctx, root, rel, 'read', { followDirectories: true, followFinal: true });
  try {
    if (end.rel !== rel) checkGrant(ctx, end.rel, 'read', rel);
    const fd = openRegularFile(end, rel);
    return { fd, rel, realRel: end.rel, stat: fstatSync(fd) };
  } finally {
    closeSync(end.parentFd);
  }
}

/** Opens the entry a walk ended at, which must be a regular file; re-checked on the descriptor. */
export function openRegularFile(end: WalkEnd, shownAs: string): number {
  if (end.stat === undefined) throw notFound(shownAs);
  refuseUnlessRegular(end.stat, shownAs);
  let fd: number;
  try {
    fd = openSync(fdPath(end.parentFd, end.name), FILE_READ_FLAGS);
  } catch (error) {
    if (isCode(error, 'ENOENT')) throw notFound(shownAs);
    if (isCode(error, 'ELOOP', 'ENXIO')) throw changed(shownAs);
    throw error;
  }
  const stat = fstatSync(fd);
  if (!stat.isFile() || stat.ino !== end.stat.ino || stat.dev !== end.stat.dev) {
    closeSync(fd);
    if (!stat.isFile()) refuseUnlessRegular(stat, shownAs);
    throw changed(shownAs);
  }
  return fd;
}

/** Refuses directories, FIFOs, sockets, devices and symlinks with a message naming what the entry is. */
export function refuseUnlessRegular(stat: Stats, rel: string): void {
  if (stat.isFile()) return;
  if (stat.isDirectory()) throw new ToolError({ code: 'is_directory', message: `"${rel}" is a directory; use list_files with path "${rel}"` });
  throw new ToolError({ code: 'not_regular_file', message: `"${rel}" is ${describeType(stat)}, not a regular file; tools read and write regular files only` });
}

function describeType(stat: Stats): string {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device file';
  if (stat.isSymbolicLink()) return 'a symlink';
  return 'a special file';
}

/**
 * The directory below which list_files and search look: inside the root, not .git, and reached
 * without symlinks (a symlinked directory is refused, naming its target when that is readable).
 * Its own name need not match a read glob: results are filtered file by file.
 */
export function resolveSearchDir(ctx: ToolContext, root: RootHandle, requested: string): { rel: string; isFile: boolean } {
  const lexical = resolveRequestedPath(ctx.root, requested);
  if (!lexical.ok) throw deny(ctx, { path: requested, access: 'read', reason: lexical.reason, message: lexical.message });
  if (lexical.rel === '') return { rel: '', isFile: false };
  if (isGitPath(lexical.rel)) {
    throw deny(ctx, { path: lexical.rel, access: 'read', reason: 'git_dir', message: '.git is not searched or listed through tools; use working-tree directories' });
  }
  let end: WalkEnd;
  try {
    end = walkBeneath(root, lexical.rel, { followDirectories: false, followFinal: false });
  } catch (error) {
    if (error instanceof BeneathError && error.reason === 'symlink') throw symlinkedDir(ctx, root, lexical.rel, error.at);
    throw walkError(ctx, error, lexical.rel, 'read');
  }
  try {
    if (end.stat === undefined) throw new ToolError({ code: 'not_found', message: `"${lexical.rel}" does not exist; list the parent directory to see what is there` });
    if (end.stat.isSymbolicLink()) throw symlinkedDir(ctx, root, lexical.rel, lexical.rel);
    if (end.stat.isDirectory()) return { rel: lexical.rel, isFile: false };
    if (!end.stat.isFile()) refuseUnlessRegular(end.stat, lexical.rel);
    checkGrant(ctx, lexical.rel, 'read');
    return { rel: lexical.rel, isFile: true };
  } finally {
    closeSync(end.parentFd);
  }
}

function symlinkedDir(ctx: ToolContext, root: RootHandle, rel: string, link: string): ToolError {
  let target: string | undefined;
  try {
    const end = walkBeneath(root, link, { followDirectories: true, followFinal: true });
    closeSync(end.parentFd);
    // Name the target only when the session could list something there anyway.
    if (end.rel !== '' && canRead(ctx.grant, end.rel)) target = end.rel;
  } catch {
    // Leads nowhere permitted: say only that it is a symlink.
  }
  const where = link === rel ? `"${rel}" is a symlink` : `"${rel}" goes through the symlink "${link}"`;
  return deny(ctx, { path: rel, access: 'read', reason: 'symlink', message: `${where}; list_files and search do not follow symlinks${target ? `: use "${target}${rel.slice(link.length)}" instead` : ''}` });
}

function walkError(ctx: ToolContext, error: unknown, rel: string, access: Access): Error {
  if (!(error instanceof BeneathError)) return error as Error;
  switch (error.reason) {
    case 'not_found':
      return notFound(error.at);
    case 'not_directory':
      return new ToolError({ code: 'not_found', message: `"${rel}" does not exist: "${error.at}" is a file, not a directory` });
    case 'symlink':
      return deny(ctx, { path: rel, access, reason: 'symlink', message: `"${rel}" goes through the symlink "${error.at}", which this operation does not follow` });
    case 'symlink_escape':
      return deny(ctx, { path: rel, access, reason: 'symlink_escape', message: `path "${rel}" goes through a symlink that leads outside the repository root` });
    case 'too_many_links':
      return new ToolError({ code: 'too_many_links', message: `"${rel}" goes through too many symlinks` });
    case 'changed':
      return changed(rel);
  }
}

export function notFound(rel: string): ToolError {
  return new ToolError({ code: 'not_found', message: `"${rel}" does not exist; use list_files or search to find the right path` });
}

export function changed(rel: string): ToolError {
  return new ToolError({ code: 'changed_during_call', message: `"${rel}" changed while this call was using it (something else is modifying the workspace); try again`, fault: 'environment' });
}

function deny(ctx: ToolContext, input: { path: string; access: Access; reason: string; message: string }): ToolError {
  ctx.log({ type: 'access.denied', path: input.path, access: input.access, reason: input.reason });
  return new ToolError({ code: `path_${input.reason}`, message: input.message, fault: 'permission' });
}

export interface AccessiblePath {
  /** Absolute path of what the walk reached. */
  abs: string;
  /** Root-relative path as requested (normalized). */
  rel: string;
  /** Root-relative path actually reached. */
  realRel: string;
}

/**
 * Where a permitted path leads, as an absolute name — for handing to a process that runs where
 * the OS shows only the workspace (a sandboxed test's working directory). Tools never open
 * files by this name: they use openForRead and the write helpers, which hold descriptors.
 */
export async function resolveAccessiblePath(ctx: ToolContext, requested: string, access: Access): Promise<AccessiblePath> {
  const lexical = resolveRequestedPath(ctx.root, requested);
  if (!lexical.ok) throw deny(ctx, { path: requested, access, reason: lexical.reason, message: lexical.message });
  const rel = lexical.rel;
  if (rel === '') return { abs: ctx.root, rel, realRel: rel };
  checkGrant(ctx, rel, access);
  return withRoot(ctx, (root) => {
    const end = walk(ctx, root, rel, access, { followDirectories: true, followFinal: true });
    closeSync(end.parentFd);
    if (end.rel !== rel) checkGrant(ctx, end.rel, access, rel);
    return { abs: end.rel === '' ? ctx.root : `${ctx.root}/${end.rel}`, rel, realRel: end.rel };
  });
}
