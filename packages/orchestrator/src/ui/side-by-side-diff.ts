// Turns a unified git diff into side-by-side rows (old on the left, new on the right), each
// side already split into highlight tokens, so the page only places text.
import { languageOf, tokenizeLine, type CodeToken, type LineState } from './highlight-code.ts';

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
  status: 'added' | 'deleted' | 'modified' | 'renamed';
  binary: boolean;
  hunks: DiffHunk[];
}

interface SideCursor {
  line: number;
  state: LineState;
}

function stripPrefix(path: string): string {
  return path.replace(/^[ab]\//, '');
}

function cell(text: string, cursor: SideCursor, path: string): DiffCell {
  const { tokens, end } = tokenizeLine(text, languageOf(path), cursor.state);
  cursor.state = end;
  return { line: cursor.line++, tokens };
}

/** Parses `git diff` output (several files) into side-by-side files. Unknown lines are skipped. */
export function sideBySideDiff(unified: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  let hunk: DiffHunk | undefined;
  let left: SideCursor = { line: 0, state: 'code' };
  let right: SideCursor = { line: 0, state: 'code' };
  let removed: string[] = [];
  let added: string[] = [];

  const flushChange = () => {
    if (!file || !hunk) return;
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const row: DiffRow = { kind: 'change' };
      if (i < removed.length) row.left = cell(removed[i]!, left, file.oldPath);
      if (i < added.length) row.right = cell(added[i]!, right, file.newPath);
      hunk.rows.push(row);
    }
    removed = [];
    added = [];
  };

  for (const line of unified.split('\n')) {
    const header = /^diff --git a\/(.*) b\/(.*)$/.exec(line);
    if (header) {
      flushChange();
      file = { oldPath: header[1]!, newPath: header[2]!, status: 'modified', binary: false, hunks: [] };
      if (file.oldPath !== file.newPath) file.status = 'renamed';
      files.push(file);
      hunk = undefined;
      continue;
    }
    if (!file) continue;
    if (!hunk) {
      if (line.startsWith('new file mode')) file.status = 'added';
      else if (line.startsWith('deleted file mode')) file.status = 'deleted';
      else if (line.startsWith('Binary files')) file.binary = true;
      else if (line.startsWith('--- ') && line !== '--- /dev/null') file.oldPath = stripPrefix(line.slice(4));
      else if (line.startsWith('+++ ') && line !== '+++ /dev/null') file.newPath = stripPrefix(line.slice(4));
    }
    const range = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (range) {
      flushChange();
      hunk = { header: line, rows: [] };
      file.hunks.push(hunk);
      left = { line: Number(range[1]), state: 'code' };
      right = { line: Number(range[2]), state: 'code' };
      continue;
    }
    if (!hunk) continue;
    if (line.startsWith('-')) removed.push(line.slice(1));
    else if (line.startsWith('+')) added.push(line.slice(1));
    else if (line.startsWith(' ') || line === '') {
      flushChange();
      // A bare empty line is the end of the output, not a context line, unless more follow.
      if (line === '') continue;
      const text = line.slice(1);
      hunk.rows.push({ kind: 'context', left: cell(text, left, file.oldPath), right: cell(text, right, file.newPath) });
    } else flushChange(); // "\ No newline at end of file" and the like
  }
  flushChange();
  return files;
}
