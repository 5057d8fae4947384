// What of the workspace a language server may see: exactly what the sessions it serves may read.
// The workspace is shown read-only with everything else hidden — .git, every file outside the
// read scope (emptied), every directory holding nothing readable (emptied), and whatever an
// in-workspace symlink leads to outside the workspace — so nothing a server says (a symbol, a
// type in a diagnostic) can come from a file the session may not read. Results are still
// checked one by one; this makes the server's knowledge match the scope by construction.
import { readdirSync, readlinkSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { isGitPath } from '../confine/resolve-path.ts';

export interface ViewScope {
  /** Whether root-relative file `rel` may be read. */
  canRead(rel: string): boolean;
  /** Whether some readable file could lie below directory `rel`. */
  mayContainReadable(rel: string): boolean;
}

export interface WorkspaceView {
  /** Real path of the workspace root. */
  readonly root: string;
  /** Absolute paths of directories shown empty. */
  readonly hiddenDirs: readonly string[];
  /** Absolute paths of files shown empty. */
  readonly hiddenFiles: readonly string[];
  /** What in-workspace symlinks lead to outside the workspace, as this host resolves them. */
  readonly outsideTargets: readonly { path: string; kind: 'dir' | 'file' }[];
  /** Entries the walk saw (for the view's cost in errors and benches). */
  readonly entriesSeen: number;
}

/** Beyond this many entries to hide, a view costs more than it is worth; the scope should name directories. */
export const MAX_HIDDEN_ENTRIES = 20_000;

export class ViewTooLargeError extends Error {
  override name = 'ViewTooLargeError';
}

/**
 * Walks the workspace (without following symlinks) and lists what must be hidden for `scope`.
 * Symlinks stay as they are: one leading inside the workspace reaches a path the walk judges on
 * its own; one leading outside is reported with its target, for the sandbox to judge.
 */
export function planWorkspaceView(root: string, scope: ViewScope, options: { keepVisible?: readonly string[] } = {}): WorkspaceView {
  // The server's own files (when they live in the workspace, as in baton's own repository) stay.
  const keep = (options.keepVisible ?? []).filter((p) => isWithin(p, root) && p !== root);
  const hiddenDirs: string[] = [];
  const hiddenFiles: string[] = [];
  const outsideTargets = new Map<string, 'dir' | 'file'>();
  let entriesSeen = 0;
  const hide = (list: string[], abs: string) => {
    list.push(abs);
    if (hiddenDirs.length + hiddenFiles.length + outsideTargets.size > MAX_HIDDEN_ENTRIES) {
      throw new ViewTooLargeError(`the read scope leaves more than ${MAX_HIDDEN_ENTRIES} files and directories to hide from a language server; grant whole directories (e.g. "src/**") instead of scattered files`);
    }
  };
  const walk = (rel: string): void => {
    const abs = rel === '' ? root : path.join(root, rel);
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      // Unreadable to us, or gone: the server cannot read it either, or sees it empty.
      return;
    }
    for (const entry of entries) {
      entriesSeen++;
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const childAbs = path.join(abs, entry.name);
      if (keep.some((p) => isWithin(childAbs, p))) continue;
      const holdsKept = keep.some((p) => isWithin(p, childAbs));
      if (isGitPath(childRel) && !holdsKept) {
        if (entry.isDirectory()) hide(hiddenDirs, childAbs);
        else if (entry.isFile()) hide(hiddenFiles, childAbs);
        continue;
      }
      if (entry.isDirectory()) {
        if (holdsKept || scope.mayContainReadable(childRel)) walk(childRel);
        else hide(hiddenDirs, childAbs);
      } else if (entry.isFile()) {
        if (!scope.canRead(childRel)) hide(hiddenFiles, childAbs);
      } else if (entry.isSymbolicLink()) {
        const target = outsideTarget(root, childAbs);
        if (target && !outsideTargets.has(target.path)) outsideTargets.set(target.path, target.kind);
      }
      // FIFOs, sockets and devices stay: a server that opens one learns nothing from it.
    }
  };
  walk('');
  return { root, hiddenDirs, hiddenFiles, outsideTargets: [...outsideTargets].map(([target, kind]) => ({ path: target, kind })), entriesSeen };
}

/** Where a symlink leads when that is outside the workspace and exists on this host. */
function outsideTarget(root: string, link: string): { path: string; kind: 'dir' | 'file' } | undefined {
  let real: string;
  try {
    // A relative link that stays inside as text needs no resolving: any link on its way is an
    // entry of the workspace, judged where it lies.
    const text = readlinkSync(link);
    if (!path.isAbsolute(text) && isWithin(path.resolve(path.dirname(link), text), root)) return undefined;
    real = realpathSync(link);
  } catch {
    return undefined; // dangling: shows nothing
  }
  if (real === root || real.startsWith(`${root}/`)) return undefined;
  try {
    const stat = statSync(real);
    if (stat.isDirectory()) return { path: real, kind: 'dir' };
    if (stat.isFile()) return { path: real, kind: 'file' };
  } catch {
    // Vanished meanwhile.
  }
  return undefined;
}

function isWithin(child: string, parent: string): boolean {
  return child === parent || child.startsWith(`${parent}/`);
}
