// Splits `git diff` / `git show --patch` output into one section per file, reading names the
// way git writes them: quoted or not, with spaces (and the tab git appends after such a name on
// `---`/`+++` lines), renames, copies, mode changes, binary and empty files. Hunks are read by
// their line counts, so no content line is ever taken for a header. Whatever cannot be read
// stays in a section that says so, with git's text.
import { headerPathPairs, readPathField } from './git-quoted-path.ts';

export type DiffStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied';

export interface HunkLines {
  header: string;
  oldStart: number;
  newStart: number;
  /** Body lines as git wrote them: ' ', '-', '+' or '\' first. */
  lines: string[];
}

export interface DiffSection {
  oldPath: string;
  newPath: string;
  status: DiffStatus;
  binary: boolean;
  oldMode?: string;
  newMode?: string;
  hunks: HunkLines[];
  /** Set when part of the section could not be read; `raw` then holds the section as git wrote it. */
  problem?: string;
  raw?: string[];
}

/** Source/destination prefixes `git show` may use: the default, and none (diff.noprefix). */
const PREFIX_PAIRS: readonly (readonly [string, string])[] = [
  ['a/', 'b/'],
  ['', ''],
];

const HEADER_START = 'diff --git ';

interface Collected {
  headerText: string;
  lines: string[];
  problems: string[];
  renamed: boolean;
  copied: boolean;
  renameFrom?: string | undefined;
  renameTo?: string | undefined;
  copyFrom?: string | undefined;
  copyTo?: string | undefined;
  minus?: string;
  plus?: string;
  oldMode?: string;
  newMode?: string;
  created: boolean;
  deleted: boolean;
  binary: boolean;
  hunks: HunkLines[];
}

/** `--- <path>` / `+++ <path>` field: git appends a tab after names holding a space. */
function markerPath(field: string): string {
  return field.endsWith('\t') ? field.slice(0, -1) : field;
}

function pathField(collected: Collected, text: string, what: string): string | undefined {
  const value = readPathField(text);
  if (value === undefined) collected.problems.push(`could not read the ${what} name ${JSON.stringify(text)}`);
  return value;
}

/** Reads one extended header line into `c`; says when a binary patch (base85 lines) follows. */
function readHeaderLine(c: Collected, line: string): 'binary-patch' | undefined {
  const [, key, value = ''] = /^(old mode|new mode|new file mode|deleted file mode|rename from|rename to|copy from|copy to|---|\+\+\+) (.*)$/s.exec(line) ?? [];
  switch (key) {
    case 'old mode':
      c.oldMode = value;
      break;
    case 'new mode':
      c.newMode = value;
      break;
    case 'new file mode':
      c.created = true;
      c.newMode = value;
      break;
    case 'deleted file mode':
      c.deleted = true;
      c.oldMode = value;
      break;
    case 'rename from':
      c.renamed = true;
      c.renameFrom = pathField(c, value, 'renamed-from');
      break;
    case 'rename to':
      c.renameTo = pathField(c, value, 'renamed-to');
      break;
    case 'copy from':
      c.copied = true;
      c.copyFrom = pathField(c, value, 'copied-from');
      break;
    case 'copy to':
      c.copyTo = pathField(c, value, 'copied-to');
      break;
    case '---':
      c.minus = markerPath(value);
      break;
    case '+++':
      c.plus = markerPath(value);
      break;
    default:
      if (line === 'GIT binary patch') {
        c.binary = true;
        return 'binary-patch';
      }
      if (line.startsWith('Binary files ') && line.endsWith(' differ')) c.binary = true;
      else if (!/^(index |similarity index |dissimilarity index )/.test(line) && line !== '') c.problems.push(`unexpected line in the file header: ${JSON.stringify(line)}`);
  }
  return undefined;
}

/** The file's names from the header, checked against the rename lines and ---/+++ lines. */
function resolveNames(c: Collected): { oldPath: string; newPath: string } | undefined {
  const from = c.renameFrom ?? c.copyFrom;
  const to = c.renameTo ?? c.copyTo;
  const minus = c.minus === undefined || c.minus === '/dev/null' ? undefined : readPathField(c.minus);
  const plus = c.plus === undefined || c.plus === '/dev/null' ? undefined : readPathField(c.plus);
  const pairs = headerPathPairs(c.headerText);
  for (const [src, dst] of PREFIX_PAIRS) {
    for (const [a, b] of pairs) {
      if (!a.startsWith(src) || !b.startsWith(dst)) continue;
      const oldPath = a.slice(src.length);
      const newPath = b.slice(dst.length);
      const fits = c.renamed || c.copied ? oldPath === from && newPath === to : oldPath === newPath;
      if (fits && (minus === undefined || minus === a) && (plus === undefined || plus === b)) return { oldPath, newPath };
    }
  }
  // The header did not fit any reading: fall back on the unambiguous lines.
  const strip = (path: string | undefined, prefix: string) => (path?.startsWith(prefix) ? path.slice(prefix.length) : path);
  const oldPath = from ?? strip(minus, 'a/') ?? strip(plus, 'b/');
  const newPath = to ?? strip(plus, 'b/') ?? oldPath;
  if (oldPath === undefined || newPath === undefined) return undefined;
  c.problems.push('the file header did not match its other lines; the names come from the ---/+++ or rename lines');
  return { oldPath, newPath };
}

function toSection(c: Collected): DiffSection {
  const names = resolveNames(c);
  if (!names) c.problems.push('could not read the file name from the header');
  const status: DiffStatus =
    c.renamed ? 'renamed' : c.copied ? 'copied' : c.created || c.minus === '/dev/null' ? 'added' : c.deleted || c.plus === '/dev/null' ? 'deleted' : 'modified';
  const fallback = `(unreadable name: ${c.headerText})`;
  return {
    oldPath: names?.oldPath ?? fallback,
    newPath: names?.newPath ?? fallback,
    status,
    binary: c.binary,
    ...(c.oldMode !== undefined ? { oldMode: c.oldMode } : {}),
    ...(c.newMode !== undefined ? { newMode: c.newMode } : {}),
    hunks: c.hunks,
    ...(c.problems.length ? { problem: c.problems.join('; '), raw: c.lines } : {}),
  };
}

const RANGE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parses a multi-file git diff. Text before the first file header becomes a section of its own. */
export function unifiedDiffSections(text: string): DiffSection[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const sections: DiffSection[] = [];
  let i = 0;
  const preamble: string[] = [];
  while (i < lines.length && !lines[i]!.startsWith(HEADER_START)) preamble.push(lines[i++]!);
  if (preamble.some((l) => l.trim() !== '')) {
    const name = '(text before the first file header)';
    sections.push({ oldPath: name, newPath: name, status: 'modified', binary: false, hunks: [], problem: 'this text does not belong to any file header', raw: preamble });
  }
  while (i < lines.length) {
    const c: Collected = { headerText: lines[i]!.slice(HEADER_START.length), lines: [lines[i]!], problems: [], renamed: false, copied: false, created: false, deleted: false, binary: false, hunks: [] };
    i++;
    const take = () => {
      const line = lines[i++]!;
      c.lines.push(line);
      return line;
    };
    let skipRest = false;
    while (i < lines.length && !lines[i]!.startsWith(HEADER_START) && !lines[i]!.startsWith('@@')) {
      if (readHeaderLine(c, take()) === 'binary-patch') skipRest = true;
      if (skipRest) break;
    }
    while (!skipRest && i < lines.length && lines[i]!.startsWith('@@')) {
      const header = take();
      const range = RANGE.exec(header);
      if (!range) {
        c.problems.push(`unreadable hunk header ${JSON.stringify(header)}`);
        break;
      }
      const hunk: HunkLines = { header, oldStart: Number(range[1]), newStart: Number(range[3]), lines: [] };
      c.hunks.push(hunk);
      let oldLeft = range[2] === undefined ? 1 : Number(range[2]);
      let newLeft = range[4] === undefined ? 1 : Number(range[4]);
      while (i < lines.length && (oldLeft > 0 || newLeft > 0 || lines[i]!.startsWith('\\'))) {
        const kind = lines[i]![0] ?? ' ';
        // An empty line is a context line whose leading space was lost (e.g. by an editor).
        if (kind === ' ' && oldLeft > 0 && newLeft > 0) {
          oldLeft--;
          newLeft--;
        } else if (kind === '-' && oldLeft > 0) oldLeft--;
        else if (kind === '+' && newLeft > 0) newLeft--;
        else if (kind !== '\\') break;
        const line = take();
        hunk.lines.push(line === '' ? ' ' : line);
      }
      if (oldLeft > 0 || newLeft > 0) c.problems.push(`hunk ${header} ends ${oldLeft + newLeft} line(s) early`);
    }
    // Anything else before the next file belongs to this one and is shown, not dropped.
    let stray = 0;
    while (i < lines.length && !lines[i]!.startsWith(HEADER_START)) if (take().trim() !== '' && !skipRest) stray++;
    if (stray > 0) c.problems.push(`${stray} line(s) after the last hunk that are not part of it`);
    sections.push(toSection(c));
  }
  return sections;
}
