// Applies one file's hunks to its text: every hunk is located against the original text on
// its own (so hunks may come in any order), overlaps are refused, then the edits are made
// from the bottom up. Line endings (LF or CRLF) and the final newline are kept as the file
// has them; added lines take the file's indentation when the hunk matched with other spacing.
import type { Hunk } from './parse-patch.ts';
import { locateHunk, oldSide, type LocateResult, type MatchLevel } from './locate-hunk.ts';

export type HunkOutcome =
  | { index: number; status: 'applied'; line: number; match: MatchLevel; trimmedContext: number }
  | { index: number; status: 'already_applied'; line: number };

export type HunkFailure = { index: number; reason: Exclude<LocateResult['kind'], 'found' | 'already_applied'> | 'overlap'; message: string };

export type ApplyHunksResult = { ok: true; text: string; hunks: HunkOutcome[]; changed: boolean } | { ok: false; failures: HunkFailure[] };

interface SplitText {
  lines: string[];
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

export function splitText(text: string): SplitText {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  const eol = crlf > lf ? '\r\n' : '\n';
  const finalNewline = text.endsWith('\n');
  const body = finalNewline ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
  const lines = body === '' && !finalNewline ? [] : body.split(/\r?\n/);
  return { lines, eol, finalNewline };
}

export function applyHunks(original: string, hunks: readonly Hunk[]): ApplyHunksResult {
  // A UTF-8 byte-order mark is kept as the file had it and never takes part in matching.
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const text = original.slice(bom.length);
  const file = splitText(text);
  const failures: HunkFailure[] = [];
  const planned: { hunk: Hunk; start: number; end: number; replacement: string[]; outcome: HunkOutcome }[] = [];
  const outcomes: HunkOutcome[] = [];

  for (const hunk of hunks) {
    const result = locateHunk(file.lines, hunk);
    switch (result.kind) {
      case 'found': {
        const { start, level, trimmedTop, trimmedBottom } = result.location;
        const coreLength = oldSide(hunk).length - trimmedTop - trimmedBottom;
        const replacement = buildReplacement(hunk, file.lines.slice(start, start + coreLength), trimmedTop, trimmedBottom, level);
        const outcome: HunkOutcome = { index: hunk.index, status: 'applied', line: start + 1, match: level, trimmedContext: trimmedTop + trimmedBottom };
        planned.push({ hunk, start, end: start + coreLength, replacement, outcome });
        outcomes.push(outcome);
        break;
      }
      case 'already_applied':
        outcomes.push({ index: hunk.index, status: 'already_applied', line: result.start + 1 });
        break;
      case 'ambiguous':
        failures.push({ index: hunk.index, reason: 'ambiguous', message: `hunk ${hunk.index} matches ${result.starts.length} places (lines ${result.starts.map((s) => s + 1).join(', ')}); add more unchanged context lines around the change so it matches only one` });
        break;
      case 'no_anchor':
        failures.push({ index: hunk.index, reason: 'no_anchor', message: `hunk ${hunk.index} has no context or removed lines to anchor it; include a few unchanged lines before and after the insertion` });
        break;
      case 'not_found': {
        const hint = result.closest ? `; the closest text is at line ${result.closest.start + 1} (${result.closest.matchingLines} of ${result.closest.ofLines} lines match)` : '';
        failures.push({ index: hunk.index, reason: 'not_found', message: `hunk ${hunk.index}: its context and removed lines are not in the file${hint}. Re-read the file with read_file and copy the lines exactly` });
        break;
      }
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
  for (const edit of [...planned].reverse()) lines.splice(edit.start, edit.end - edit.start, ...edit.replacement);
  let finalNewline = file.finalNewline;
  const last = planned.at(-1);
  if (last && last.end === file.lines.length) {
    if (last.hunk.newNoNewlineAtEnd) finalNewline = false;
    else if (last.hunk.oldNoNewlineAtEnd) finalNewline = true;
  }
  if (file.lines.length === 0 && planned.length > 0) finalNewline = !planned[0]!.hunk.newNoNewlineAtEnd;
  const out = bom + lines.join(file.eol) + (finalNewline && lines.length > 0 ? file.eol : '');
  return { ok: true, text: out, hunks: outcomes.sort((a, b) => a.index - b.index), changed: out !== original };
}

/**
 * The lines that replace the matched region: the file's own text for context lines, nothing
 * for removed lines, and the added lines — re-indented when the hunk matched only ignoring
 * whitespace, by the difference between the hunk's and the file's indentation.
 */
function buildReplacement(hunk: Hunk, matched: readonly string[], trimmedTop: number, trimmedBottom: number, level: MatchLevel): string[] {
  const body = hunk.lines.slice(trimmedTop, hunk.lines.length - trimmedBottom);
  const reindent = level === 'whitespace' || level === 'unicode' ? indentationShift(body, matched) : (line: string) => line;
  const out: string[] = [];
  let cursor = 0;
  for (const line of body) {
    if (line.kind === 'add') out.push(reindent(line.text));
    else {
      if (line.kind === 'context') out.push(matched[cursor]!);
      cursor++;
    }
  }
  return out;
}

/**
 * The hunk's indentation drift as one delta (e.g. "two spaces deeper"), taken from its context
 * and removed lines against the file's; applied to the added lines. When the lines disagree on
 * the delta, added lines are left as written.
 */
function indentationShift(body: Hunk['lines'], matched: readonly string[]): (line: string) => string {
  let delta: number | undefined;
  let unit = ' ';
  let cursor = 0;
  for (const line of body) {
    if (line.kind === 'add') continue;
    const fileLine = matched[cursor++]!;
    if (line.text.trim() === '') continue;
    const from = /^\s*/.exec(line.text)![0];
    const to = /^\s*/.exec(fileLine)![0];
    // An unindented line on both sides says nothing about the drift.
    if (from === '' && to === '') continue;
    const d = from.length - to.length;
    if (delta === undefined) {
      delta = d;
      unit = (d > 0 ? from : to)[0] ?? ' ';
    } else if (d !== delta) return (l) => l;
  }
  if (!delta) return (l) => l;
  const shift = delta;
  return (l) => {
    if (shift > 0) {
      const lead = /^\s*/.exec(l)![0];
      return lead.length >= shift ? l.slice(shift) : l.trimStart();
    }
    return l.trim() === '' ? l : unit.repeat(-shift) + l;
  };
}
