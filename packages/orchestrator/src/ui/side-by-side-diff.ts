// Turns a unified git diff into side-by-side rows (old on the left, new on the right), each
// side already split into highlight tokens, so the page only places text.
import { languageOf, tokenizeLine, type CodeToken, type LineState } from './highlight-code.ts';
import { unifiedDiffSections, type DiffStatus, type HunkLines } from './unified-diff-sections.ts';

export interface DiffCell {
  line: number;
  tokens: CodeToken[];
}

export interface DiffRow {
  /** context: same on both sides; change: a removed and/or added line; absent sides are undefined. */
  kind: 'context' | 'change';
  left?: DiffCell;
  right?: DiffCell;
}

export interface DiffHunk {
  header: string;
  rows: DiffRow[];
}

export interface DiffFile {
  oldPath: string;
  newPath: string;
  /** `unknown` when git listed the file as changed but the diff has no section for it. */
  status: DiffStatus | 'unknown';
  binary: boolean;
  oldMode?: string;
  newMode?: string;
  hunks: DiffHunk[];
  /** What could not be read about this file; `raw` then holds git's text of it, if any. */
  problem?: string;
  raw?: string[];
}

interface SideCursor {
  line: number;
  state: LineState;
}

function cell(text: string, cursor: SideCursor, path: string): DiffCell {
  const { tokens, end } = tokenizeLine(text, languageOf(path), cursor.state);
  cursor.state = end;
  return { line: cursor.line++, tokens };
}

function sideBySideHunk(hunk: HunkLines, oldPath: string, newPath: string): DiffHunk {
  const rows: DiffRow[] = [];
  const left: SideCursor = { line: hunk.oldStart, state: 'code' };
  const right: SideCursor = { line: hunk.newStart, state: 'code' };
  let removed: string[] = [];
  let added: string[] = [];
  const flushChange = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const row: DiffRow = { kind: 'change' };
      if (i < removed.length) row.left = cell(removed[i]!, left, oldPath);
      if (i < added.length) row.right = cell(added[i]!, right, newPath);
      rows.push(row);
    }
    removed = [];
    added = [];
  };
  for (const line of hunk.lines) {
    const text = line.slice(1);
    if (line.startsWith('-')) removed.push(text);
    else if (line.startsWith('+')) added.push(text);
    else {
      flushChange(); // a context line, or "\ No newline at end of file"
      if (line.startsWith(' ')) rows.push({ kind: 'context', left: cell(text, left, oldPath), right: cell(text, right, newPath) });
    }
  }
  flushChange();
  return { header: hunk.header, rows };
}

/**
 * Parses `git diff` output (several files) into side-by-side files. With `changedFiles` (git's
 * own list of what the commit changed, e.g. from `git diff --name-status -z`), every file in
 * that list gets a section: one the diff lacks is added saying so, and a section naming a file
 * outside the list says that too.
 */
export function sideBySideDiff(unified: string, options: { changedFiles?: readonly string[] } = {}): DiffFile[] {
  const files: DiffFile[] = unifiedDiffSections(unified).map((section) => {
    const { hunks, ...rest } = section;
    return { ...rest, hunks: hunks.map((h) => sideBySideHunk(h, section.oldPath, section.newPath)) };
  });
  const listed = options.changedFiles ?? [];
  if (listed.length === 0) return files;
  const known = new Set(listed);
  for (const file of files) {
    if (known.has(file.newPath) || known.has(file.oldPath) || file.problem !== undefined) continue;
    file.problem = "this file is not in git's list of the files this commit changed; its name may have been misread";
  }
  const covered = new Set(files.flatMap((f) => [f.oldPath, f.newPath]));
  for (const path of listed) {
    if (covered.has(path)) continue;
    covered.add(path);
    files.push({ oldPath: path, newPath: path, status: 'unknown', binary: false, hunks: [], problem: 'git lists this file as changed, but no part of the recorded diff could be read as its diff' });
  }
  return files;
}
