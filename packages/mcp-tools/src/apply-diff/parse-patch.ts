// Parses unified diffs as models write them: git-style or plain headers, a/ b/ prefixes or
// none, wrong or missing line counts (hunks are recounted from their bodies), context lines
// whose leading space was lost, CRLF line endings. Line numbers are kept only as hints.

export interface HunkLine {
  kind: 'context' | 'remove' | 'add';
  text: string;
}

export interface Hunk {
  /** 1-based index of the hunk within its file patch, for messages. */
  index: number;
  /** The old start line from the header, if it had one: a hint, never trusted alone. */
  oldStartHint?: number;
  lines: HunkLine[];
  /** The patch says the old (or new) side has no newline at its end. */
  oldNoNewlineAtEnd: boolean;
  newNoNewlineAtEnd: boolean;
  /** A line the hunk comes after (V4A "@@ anchor"); used only to choose among several matches. */
  anchor?: string;
}

export interface FilePatch {
  /** Path before (undefined for a new file). */
  oldPath?: string;
  /** Path after (undefined for a deleted file). */
  newPath?: string;
  hunks: Hunk[];
}

export class PatchSyntaxError extends Error {
  override name = 'PatchSyntaxError';
}

const HUNK_HEADER = /^@@+ ?(?:-(\d+)(?:,(\d+))?)? ?(?:\+(\d+)(?:,(\d+))?)? ?@@+.*$/;

function stripPrefix(raw: string): string | undefined {
  let value = raw.replace(/\t.*$/, '').trim();
  if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  if (value === '/dev/null') return undefined;
  return value.replace(/^[ab]\//, '');
}

/**
 * True when only prose follows line `i`: no line that could belong to a diff. Otherwise the
 * fence is left to fail as a malformed line rather than silently cutting a hunk short.
 */
function isFenceEnd(lines: readonly string[], i: number): boolean {
  return !lines.slice(i + 1).some((l) => /^[-+ @\\]/.test(l) || l.startsWith('diff --git '));
}

export function parsePatch(text: string): FilePatch[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const files: FilePatch[] = [];
  let file: FilePatch | undefined;
  let hunk: Hunk | undefined;
  let lastSide: 'old' | 'new' | 'both' = 'both';

  const finishHunk = () => {
    if (hunk && file) {
      if (hunk.lines.some((l) => l.kind !== 'context')) file.hunks.push(hunk);
    }
    hunk = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('diff --git ')) {
      finishHunk();
      file = undefined;
      continue;
    }
    // A "--- " line followed by "+++ " starts a file, even inside a hunk (a removed "-- x" line
    // followed by an added "++ y" line is the one case this reads wrongly; the apply then fails, never misplaces).
    if (line.startsWith('--- ') && (lines[i + 1]?.startsWith('+++ ') ?? false)) {
      finishHunk();
      const oldPath = stripPrefix(line.slice(4));
      const newPath = stripPrefix(lines[i + 1]!.slice(4));
      if (oldPath === undefined && newPath === undefined) throw new PatchSyntaxError(`line ${i + 1}: both sides of the file header are /dev/null`);
      file = { ...(oldPath !== undefined ? { oldPath } : {}), ...(newPath !== undefined ? { newPath } : {}), hunks: [] };
      files.push(file);
      i++;
      continue;
    }
    const header = HUNK_HEADER.exec(line);
    if (header && line.startsWith('@@')) {
      if (!file) throw new PatchSyntaxError(`line ${i + 1}: hunk header before any "--- a/path" / "+++ b/path" file header`);
      finishHunk();
      hunk = { index: file.hunks.length + 1, lines: [], oldNoNewlineAtEnd: false, newNoNewlineAtEnd: false };
      if (header[1] !== undefined) hunk.oldStartHint = Number(header[1]);
      continue;
    }
    if (!hunk) {
      // Git's extended headers that would make something other than a text file are refused;
      // the rest of the text between files ("index", modes, commentary) is ignored.
      if (/^(?:new file |new |old )?mode 120000\s*$/.test(line)) throw new PatchSyntaxError(`line ${i + 1}: the patch makes a symbolic link; apply_diff edits regular text files only`);
      if (line === 'GIT binary patch' || /^Binary files .* differ$/.test(line)) throw new PatchSyntaxError(`line ${i + 1}: binary patches are not supported; apply_diff edits text files only`);
      continue;
    }
    if (/^```\s*$/.test(line) && isFenceEnd(lines, i)) {
      // A closing Markdown fence after the last hunk: the diff ends here.
      finishHunk();
      break;
    }
    if (line.startsWith('\\')) {
      if (lastSide === 'old' || lastSide === 'both') hunk.oldNoNewlineAtEnd = true;
      if (lastSide === 'new' || lastSide === 'both') hunk.newNoNewlineAtEnd = true;
      continue;
    }
    const marker = line[0];
    if (marker === '+') {
      hunk.lines.push({ kind: 'add', text: line.slice(1) });
      lastSide = 'new';
    } else if (marker === '-') {
      hunk.lines.push({ kind: 'remove', text: line.slice(1) });
      lastSide = 'old';
    } else if (marker === ' ') {
      hunk.lines.push({ kind: 'context', text: line.slice(1) });
      lastSide = 'both';
    } else if (line === '') {
      // A blank context line whose single space was stripped by an editor or a model.
      hunk.lines.push({ kind: 'context', text: '' });
      lastSide = 'both';
    } else {
      throw new PatchSyntaxError(`line ${i + 1}: "${line.slice(0, 60)}" is not a diff line; every line in a hunk starts with " ", "-" or "+"`);
    }
  }
  finishHunk();
  if (files.length === 0) throw new PatchSyntaxError('no file headers found; a diff starts with "--- a/path" and "+++ b/path" lines, then "@@" hunks');
  for (const f of files) {
    if (f.hunks.length === 0 && f.oldPath !== undefined && f.newPath !== undefined) {
      throw new PatchSyntaxError(`${f.newPath}: no hunk with changes ("-" or "+" lines)`);
    }
  }
  return files;
}
