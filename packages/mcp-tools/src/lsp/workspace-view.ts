// What of the workspace a language server may see: exactly what the sessions it serves may read.
// The workspace is shown read-only with everything else hidden — .git, every file outside the
// read scope (emptied), every directory holding nothing readable (emptied) — so nothing a server
// says (a symbol, a type in a diagnostic) can come from a file the session may not read. (What a
// symlink leads to outside the workspace is not in the sandbox's view at all, unless it is a system
// directory or the server's own toolchain.) Results are still checked one by one; this makes the
// server's knowledge match the scope by construction.
import { readdirSync, type Dirent } from 'node:fs';
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
 */
export function planWorkspaceView(root: string, scope: ViewScope, options: { keepVisible?: readonly string[] } = {}): WorkspaceView {
  // The server's own files (when they live in the workspace, as in baton's own repository) stay.
  const keep = (options.keepVisible ?? []).filter((p) => isWithin(p, root) && p !== root);
  const hiddenDirs: string[] = [];
  const hiddenFiles: string[] = [];
  let entriesSeen = 0;
  const hide = (list: string[], abs: string) => {
    list.push(abs);
    if (hiddenDirs.length + hiddenFiles.length > MAX_HIDDEN_ENTRIES) {
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
      }
      // Symlinks stay: one that leads inside reaches an entry judged where it lies. FIFOs, sockets
      // and devices stay too: a server that opens one learns nothing from it.
    }
  };
  walk('');
  return { root, hiddenDirs, hiddenFiles, entriesSeen };
}

function isWithin(child: string, parent: string): boolean {
  return child === parent || child.startsWith(`${parent}/`);
}
