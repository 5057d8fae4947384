// Applies one file's hunks to its text: every hunk is located against the original text on
// its own (so hunks may come in any order), overlaps are refused, then the edits are made
// from the bottom up. Each line keeps its own ending (added lines take the ending of the lines
// around them) and the final newline stays as the file has it unless the patch says otherwise;
// added lines are written in the file's indentation, whatever the patch's.
import { describeFailure } from './describe-failure.ts';
import { joinFileLines, splitFileLines, type Eol, type FileLines } from './file-lines.ts';
import { agreedOffset, pickByLineHint } from './line-hints.ts';
import { changeMadeElsewhere, locateHunk, matchedWithDrift, oldSide, type LocateResult, type Location, type MatchLevel } from './locate-hunk.ts';
import type { Hunk } from './parse-patch.ts';
import { reindentAddedLines } from './reindent-added-lines.ts';

export type HunkOutcome =
  | {
      index: number;
      status: 'applied';
      line: number;
      match: MatchLevel;
      trimmedContext: number;
      /** The line the @@ header gave for the matched lines. */
      hintLine?: number;
      /** Several places matched; the header's line number, agreeing with the other hunks', chose this one. */
      byLineHint?: boolean;
    }
  | { index: number; status: 'already_applied'; line: number };

export type HunkFailure = { index: number; reason: Exclude<LocateResult['kind'], 'found' | 'already_applied'> | 'overlap' | 'indentation'; message: string };

export type ApplyHunksResult = { ok: true; text: string; hunks: HunkOutcome[]; changed: boolean } | { ok: false; failures: HunkFailure[] };

interface PlannedEdit {
  hunk: Hunk;
  start: number;
  end: number;
  replacement: ReplacementLine[];
}

interface ReplacementLine {
  text: string;
  eol: '' | Eol;
  added: boolean;
}

export function applyHunks(original: string, hunks: readonly Hunk[]): ApplyHunksResult {
  // A UTF-8 byte-order mark is kept as the file had it and never takes part in matching.
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const file = splitFileLines(original.slice(bom.length));
  const failures: HunkFailure[] = [];
  const planned: PlannedEdit[] = [];
  const outcomes: HunkOutcome[] = [];

  const place = (hunk: Hunk, location: Location, byLineHint: boolean) => {
    const { start, level, trimmedTop, trimmedBottom } = location;
    const coreLength = oldSide(hunk).length - trimmedTop - trimmedBottom;
    const replacement = buildReplacement({ hunk, file, start, coreLength, trimmedTop, trimmedBottom });
    if (!replacement.ok) {
      failures.push({ index: hunk.index, reason: 'indentation', message: replacement.message });
      return;
    }
    planned.push({ hunk, start, end: start + coreLength, replacement: replacement.lines });
    outcomes.push({
      index: hunk.index,
      status: 'applied',
      line: start + 1,
      match: level,
      trimmedContext: trimmedTop + trimmedBottom,
      ...(hunk.oldStartHint !== undefined ? { hintLine: hunk.oldStartHint + trimmedTop } : {}),
      ...(byLineHint ? { byLineHint } : {}),
    });
  };

  const located = locateAll(file.lines, hunks);
  for (const { hunk, result } of located) {
    if (result.kind === 'found') place(hunk, result.location, false);
    else if (result.kind === 'already_applied') outcomes.push({ index: hunk.index, status: 'already_applied', line: result.start + 1 });
    else if (result.kind === 'made_elsewhere') failures.push({ index: hunk.index, reason: 'ambiguous', message: result.message });
  }
  // Only hunks their text placed uniquely vouch for the header numbers.
  const offset = agreedOffset(outcomes.filter((o): o is Extract<HunkOutcome, { status: 'applied' }> => o.status === 'applied'));
  for (const { hunk, result } of located) {
    if (result.kind === 'found' || result.kind === 'already_applied' || result.kind === 'made_elsewhere') continue;
    const chosen = result.kind === 'ambiguous' ? pickByLineHint(hunk, result, offset) : undefined;
    if (chosen !== undefined && result.kind === 'ambiguous') {
      place(hunk, { start: chosen, level: result.level, trimmedTop: result.trimmedTop, trimmedBottom: result.trimmedBottom }, true);
    } else {
      failures.push({ index: hunk.index, reason: result.kind, message: describeFailure(file.lines, hunk, result) });
    }
  }

  planned.sort((a, b) => a.start - b.start);
  for (let i = 1; i < planned.length; i++) {
    const prev = planned[i - 1]!;
    const next = planned[i]!;
    if (next.start < prev.end || (next.start === prev.end && next.end === next.start && prev.end === prev.start)) {
      failures.push({ index: next.hunk.index, reason: 'overlap', message: `hunks ${prev.hunk.index} and ${next.hunk.index} change overlapping lines (around line ${next.start + 1}); merge them into one hunk` });
    }
  }
  if (failures.length > 0) return { ok: false, failures };

  const lines = [...file.lines];
  const eols = [...file.eols];
  for (const edit of [...planned].reverse()) {
    lines.splice(edit.start, edit.end - edit.start, ...edit.replacement.map((r) => r.text));
    eols.splice(edit.start, edit.end - edit.start, ...edit.replacement.map((r) => r.eol));
  }
  const last = planned.at(-1);
  if (last && last.end === file.lines.length && lines.length > 0) {
    // The edit reaches the end of the file. A "\ No newline" marker decides the final newline;
    // without one, a line the file already had keeps its own ending, and an added last line
    // ends the way the file ended.
    const hadFinalNewline = file.lines.length === 0 || file.eols.at(-1) !== '';
    const lastIsAdded = last.replacement.at(-1)?.added === true;
    const ownEol = eols[lines.length - 1];
    const newline = ownEol !== undefined && ownEol !== '' ? ownEol : file.dominant;
    if (last.hunk.newNoNewlineAtEnd) eols[lines.length - 1] = '';
    else if (last.hunk.oldNoNewlineAtEnd) eols[lines.length - 1] = newline;
    else if (lastIsAdded) eols[lines.length - 1] = hadFinalNewline ? newline : '';
  }
  const out = bom + joinFileLines({ lines, eols, dominant: file.dominant });
  return { ok: true, text: out, hunks: outcomes.sort((a, b) => a.index - b.index), changed: out !== original };
}

/**
 * A hunk whose old side matched one place while its change is already made at another is a
 * patch sent again, or one meant to make a block like its twin; only the header's line number
 * can tell which, so the hunk is placed only when that number is nearer the old side's match.
 */
type MadeElsewhere = { kind: 'made_elsewhere'; message: string };

/** Every hunk located against the original text, each on its own, with the checks that need the whole patch. */
function locateAll(file: readonly string[], hunks: readonly Hunk[]): { hunk: Hunk; result: LocateResult | MadeElsewhere }[] {
  let located = hunks.map((hunk) => ({ hunk, result: locateHunk(file, hunk) }));
  // A patch typed with its indentation shifted is shifted in every hunk: one that matched
  // exactly may have landed on a twin block at another depth, so it must be unique loosely too.
  if (located.some(({ hunk, result }) => result.kind === 'found' && matchedWithDrift(file, hunk, result.location))) {
    located = located.map(({ hunk, result }) =>
      result.kind === 'found' && (result.location.level === 'exact' || result.location.level === 'trailing_whitespace') ? { hunk, result: locateHunk(file, hunk, { patchDrifted: true }) } : { hunk, result },
    );
  }
  return located.map(({ hunk, result }) => ({ hunk, result: repeatedChange(file, hunk, result) }));
}

function repeatedChange(file: readonly string[], hunk: Hunk, result: LocateResult): LocateResult | MadeElsewhere {
  if (result.kind !== 'found') return result;
  const made = changeMadeElsewhere(file, hunk, result.location);
  if (made === undefined) return result;
  const matched = result.location.start;
  const hint = hunk.oldStartHint === undefined ? undefined : hunk.oldStartHint - 1 + result.location.trimmedTop;
  if (hint !== undefined && Math.abs(hint - matched) < Math.abs(hint - made)) return result;
  const name = `hunk ${hunk.index}${hunk.oldStartHint !== undefined ? ` (@@ -${hunk.oldStartHint})` : ''}`;
  return {
    kind: 'made_elsewhere',
    message:
      `${name}: its change is already made at line ${made + 1}, and its old lines also stand at line ${matched + 1}, so it was not applied (was the patch applied before?). ` +
      `If line ${matched + 1} should change too, add unchanged lines above or below the change that differ between the two places, and give its line number in the @@ header.`,
  };
}

/**
 * The lines that replace the matched region: the file's own text for context lines, nothing
 * for removed lines, and the added lines in the file's indentation (see reindent-added-lines),
 * or the reason they cannot be.
 */
function buildReplacement(input: {
  hunk: Hunk;
  file: FileLines;
  start: number;
  coreLength: number;
  trimmedTop: number;
  trimmedBottom: number;
}): { ok: true; lines: ReplacementLine[] } | { ok: false; message: string } {
  const { hunk, file, start, coreLength, trimmedTop, trimmedBottom } = input;
  const matched = file.lines.slice(start, start + coreLength);
  const body = hunk.lines.slice(trimmedTop, hunk.lines.length - trimmedBottom);
  const reindented = reindentAddedLines({ hunk, file: file.lines, start, coreLength, trimmedTop, trimmedBottom });
  if (!reindented.ok) return reindented;
  const out: ReplacementLine[] = [];
  // Added lines end like the file line they follow (or, at the top, the one they precede).
  const eolAt = (i: number): Eol => {
    const eol = file.eols[start + Math.min(Math.max(i, 0), Math.max(coreLength - 1, 0))];
    return eol === undefined || eol === '' ? file.dominant : eol;
  };
  let cursor = 0;
  let addedIndex = 0;
  for (const line of body) {
    if (line.kind === 'add') out.push({ text: reindented.lines[addedIndex++]!, eol: eolAt(cursor - 1), added: true });
    else {
      if (line.kind === 'context') out.push({ text: matched[cursor]!, eol: file.eols[start + cursor]!, added: false });
      cursor++;
    }
  }
  return { ok: true, lines: out };
}
