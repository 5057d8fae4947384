// Turns a hunk that could not be placed into a message a model can act on: which hunk, why,
// the file's own lines where it came closest (with line numbers, so they can be copied), the
// first line that differs, or every candidate place when it matched more than one.
import { oldSide, type LocateResult } from './locate-hunk.ts';
import type { Hunk } from './parse-patch.ts';

type Failed = Exclude<LocateResult, { kind: 'found' } | { kind: 'already_applied' }>;

/** Most file lines quoted in one message, so a failure never floods the model's context. */
const MAX_QUOTED_LINES = 8;
const MAX_QUOTED_CHARS = 160;

export function describeFailure(file: readonly string[], hunk: Hunk, result: Failed): string {
  const name = `hunk ${hunk.index}${hunk.oldStartHint !== undefined ? ` (@@ -${hunk.oldStartHint})` : ''}`;
  switch (result.kind) {
    case 'ambiguous': {
      const places = result.starts.slice(0, 10).map((s) => `${s + 1}`).join(', ');
      const more = result.starts.length > 10 ? ` and ${result.starts.length - 10} more` : '';
      return (
        `${name} matches ${result.starts.length} places equally well (at lines ${places}${more}), so it was not applied anywhere. ` +
        `Add unchanged lines above or below the change that differ between those places (e.g. the enclosing function's first line) so it matches only one.`
      );
    }
    case 'no_anchor':
      return `${name} only adds lines and has no unchanged context to say where; include 2-3 unchanged lines before and after the insertion.`;
    case 'not_found': {
      const old = oldSide(hunk);
      if (!result.closest) {
        return `${name}: none of its ${old.length} context and removed lines is in the file. Check the file path, then re-read the file with read_file and copy the lines exactly.`;
      }
      const { start, matchingLines, ofLines } = result.closest;
      const end = Math.min(file.length, start + Math.min(Math.max(ofLines, 3), MAX_QUOTED_LINES));
      const quoted = file.slice(start, end).map((line, i) => `    ${start + i + 1}\t${clip(line)}`);
      const mismatch = firstMismatch(file, old, start);
      return [
        `${name}: its context and removed lines are not in the file. The closest text is at line ${start + 1} (${matchingLines} of ${ofLines} lines match)${mismatch}. The file there reads:`,
        ...quoted,
        `Re-read that part of the file with read_file (start_line ${Math.max(1, start - 1)}) and copy the lines exactly into the hunk.`,
      ].join('\n');
    }
  }
}

const loose = (line: string) => line.trim().replace(/\s+/g, ' ');

/** The first hunk line that is not what the file has at the aligned position. */
function firstMismatch(file: readonly string[], old: readonly string[], start: number): string {
  for (let j = 0; j < old.length; j++) {
    const have = file[start + j];
    if (have === undefined) return `; the hunk runs past the end of the file at its line ${j + 1}`;
    if (loose(have) !== loose(old[j]!)) return `; the hunk expects "${clip(old[j]!.trim())}" where line ${start + j + 1} is "${clip(have.trim())}"`;
  }
  return '';
}

function clip(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
}
