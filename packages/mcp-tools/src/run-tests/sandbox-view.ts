// The file system a sandboxed test command sees, built from nothing: the system directories
// read-only (/usr, /bin, /lib*, /sbin, and /etc without what others may not read), a fresh /dev
// and /proc, a private /tmp, the toolchain the command needs read-only (node_modules above the
// workspace included), the workspace read-write with its .git hidden, the paths the operator
// added with --test-ro, and links: host paths shown read-only at a path inside the workspace. No /home, /root, /run,
// /var/run, /sys, /opt, /srv or /mnt; no other repository; no host socket. The empty directories
// bwrap creates to hold these are read-only.
import { existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { unreadableEntries } from './etc-masks.ts';
import { installPrefix, toolchainEntries, type ToolchainEntry } from './toolchain-paths.ts';

/** Host directories shown read-only (or recreated as the symlinks they are). */
export const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'] as const;

export interface SandboxViewOptions {
  /** Real path of the workspace: the only writable host directory. */
  workspace: string;
  /** A host directory of our own, shown as /tmp. */
  tmpDir: string;
  /**
   * An empty regular file of our own, not shown anywhere else: what a worktree's `.git` file
   * looks like inside (a device like /dev/null there trips tools that walk the tree, e.g. pytest
   * asserts every entry it collects is a regular file).
   */
  emptyFile?: string;
  /** The test command as the operator configured it (without the worker's filter). */
  commandArgv: readonly string[];
  /** Working directory of the command (inside the workspace). */
  cwd: string;
  /** PATH as the command will see it. */
  pathEnv: string;
  /** Absolute host paths the operator added (grant.testReadOnly). */
  extraReadOnly: readonly string[];
  /** The Node that runs PID 1 of the sandbox (and `node` in test commands). */
  nodeExecPath: string;
  /**
   * Read-only mounts inside the workspace (grant.testLinks): `source` (a real host path) shown at
   * `target` (an absolute path inside the workspace), and at its own path too, so absolute paths
   * recorded inside it (a virtualenv's scripts name its python) still resolve.
   */
  links?: readonly { source: string; target: string }[];
}

/** bwrap arguments that build the view, in mount order. */
export function sandboxViewArgs(options: SandboxViewOptions): string[] {
  const workspace = options.workspace;
  const args: string[] = [];
  const shown: string[] = [];
  const inside = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
  const visible = (p: string) => shown.some((dir) => inside(p, dir)) || inside(p, workspace);

  for (const dir of SYSTEM_DIRS) {
    let stats;
    try {
      stats = lstatSync(dir);
    } catch {
      continue;
    }
    if (stats.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else if (stats.isDirectory()) args.push('--ro-bind', dir, dir);
    else continue;
    shown.push(dir);
  }
  for (const entry of unreadableEntries('/etc')) {
    if (entry.kind === 'dir') args.push('--tmpfs', entry.path, '--remount-ro', entry.path);
    else args.push('--ro-bind', '/dev/null', entry.path);
  }
  args.push('--dev', '/dev', '--proc', '/proc', '--bind', options.tmpDir, '/tmp', '--symlink', '../tmp', '/var/tmp');

  const readOnly = (p: string) => {
    if (visible(p)) return;
    args.push('--ro-bind', p, p);
    shown.push(p);
  };
  readOnly(installPrefix(realpathSync(options.nodeExecPath)));
  const toolchain: ToolchainEntry[] = toolchainEntries(options.commandArgv[0]!, { cwd: options.cwd, pathEnv: options.pathEnv, visible });
  for (const entry of toolchain) {
    if (entry.kind === 'bind') readOnly(entry.path);
    else if (!visible(entry.path)) {
      args.push('--symlink', entry.target, entry.path);
      shown.push(entry.path);
    }
  }
  // Node looks for packages in node_modules of every directory above the script, so a task
  // worktree in <repo>/.git/baton/worktrees/<task> finds <repo>/node_modules as it did outside.
  for (let dir = path.dirname(workspace); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const modules = path.join(dir, 'node_modules');
    if (existsSync(modules)) readOnly(modules);
  }
  // Absolute paths the operator wrote into the command (`node /opt/tools/run.mjs`) are part of it.
  for (const arg of options.commandArgv.slice(1)) {
    if (path.isAbsolute(arg) && existsSync(arg)) readOnly(path.normalize(arg));
  }
  const extraInside = options.extraReadOnly.filter((p) => inside(p, workspace));
  for (const extra of options.extraReadOnly) if (!inside(extra, workspace) && existsSync(extra)) readOnly(extra);
  const links = (options.links ?? []).filter((link) => !inside(link.source, workspace) && existsSync(link.source));
  for (const link of links) readOnly(link.source);

  args.push('--bind', workspace, workspace);
  const gitPath = path.join(workspace, '.git');
  if (!extraInside.some((p) => inside(gitPath, p))) args.push(...hideArgs(gitPath, workspace, options.emptyFile ?? '/dev/null'));
  for (const extra of extraInside) if (existsSync(extra)) args.push('--ro-bind', extra, extra);
  for (const link of links) if (mountable(link, workspace)) args.push('--ro-bind', link.source, link.target);
  // The directories bwrap made to hold the mounts above belong to nobody: read-only.
  args.push('--remount-ro', '/');
  return args;
}

/**
 * Whether a link can be mounted at its target: strictly inside the workspace, reached without a
 * symlink (the workspace is the worker's to change: a link must not land elsewhere because a
 * directory on its way became a link), and not something else already (a file where a directory
 * is linked). bwrap makes a target that does not exist yet.
 */
function mountable(link: { source: string; target: string }, workspace: string): boolean {
  if (!link.target.startsWith(`${workspace}/`)) return false;
  let current = workspace;
  for (const part of link.target.slice(workspace.length + 1).split('/')) {
    current = path.join(current, part);
    let stats;
    try {
      stats = lstatSync(current);
    } catch {
      return true;
    }
    if (stats.isSymbolicLink()) return false;
    if (current === link.target) return stats.isDirectory() === statSync(link.source).isDirectory();
    if (!stats.isDirectory()) return false;
  }
  return true;
}

/** Arguments that hide `target` where the workspace shows it (a directory becomes empty and read-only, a file empty). */
function hideArgs(target: string, workspace: string, emptyFile: string): string[] {
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return []; // absent, or a dangling link: nothing to hide
  }
  // A .git symlink to elsewhere on the host shows nothing: its target is not in the view.
  if (!real.startsWith(`${workspace}/`)) return [];
  return statSync(real).isDirectory() ? ['--tmpfs', real, '--remount-ro', real] : ['--ro-bind', emptyFile, real];
}
