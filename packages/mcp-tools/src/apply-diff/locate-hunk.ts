// Finds the one place in a file where a hunk belongs, or says why there is none. Levels go
// from exact to whitespace-tolerant; at every level a hunk must match exactly one place — two
// or more is refused as ambiguous, never guessed. Context lines at the edges may be dropped
// (models add or omit some) only while what remains still anchors the hunk uniquely, and only
// after checking whether the change is already there.
import { indentationAgrees } from './indentation-agrees.ts';
import type { Hunk } from './parse-patch.ts';

export type MatchLevel = 'exact' | 'trailing_whitespace' | 'whitespace' | 'unicode';

export interface Location {
  /** 0-based index in the file's lines where the matched old lines start. */
  start: number;
  level: MatchLevel;
  /** Context lines of the hunk not found at its top and bottom edges, dropped. */
  trimmedTop: number;
  trimmedBottom: number;
}

export type LocateResult =
  | { kind: 'found'; location: Location }
  | { kind: 'already_applied'; start: number }
  | { kind: 'ambiguous'; level: MatchLevel; starts: number[]; trimmedTop: number; trimmedBottom: number }
  | { kind: 'no_anchor' }
  | { kind: 'not_found'; closest?: { start: number; matchingLines: number; ofLines: number } };

/** Typographic characters models substitute for ASCII: smart quotes, dashes, non-breaking spaces, ellipses. */
export function foldUnicode(line: string): string {
  return line
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, '-')
    .replace(/[\u00A0\u2007\u202F\u2009\u200A\u3000]/g, ' ')
    .replace(/\u2026/g, '...');
}

const spacing = (l: string) => l.trim().replace(/\s+/g, ' ');

const LEVELS: readonly [MatchLevel, (line: string) => string][] = [
  ['exact', (l) => l],
  ['trailing_whitespace', (l) => l.trimEnd()],
  ['whitespace', spacing],
  ['unicode', (l) => spacing(foldUnicode(l))],
];

const MAX_TRIM = 3;
/** Substantial lines (see `substantial`) a trimmed hunk must still have to be placed at all. */
const MIN_ANCHOR_LINES = 2;

export function oldSide(hunk: Hunk): string[] {
  return hunk.lines.filter((l) => l.kind !== 'add').map((l) => l.text);
}

export function newSide(hunk: Hunk): string[] {
  return hunk.lines.filter((l) => l.kind !== 'remove').map((l) => l.text);
}

/**
 * Each file's lines normalised per level, computed once: a hunk is searched at up to four
 * levels and with several context trims, and the file is the same every time.
 */
const normalizedFiles = new WeakMap<readonly string[], Map<MatchLevel, string[]>>();

function normalizedFile(file: readonly string[], level: MatchLevel, norm: (l: string) => string): string[] {
  let byLevel = normalizedFiles.get(file);
  if (!byLevel) normalizedFiles.set(file, (byLevel = new Map()));
  let lines = byLevel.get(level);
  if (!lines) byLevel.set(level, (lines = level === 'exact' ? [...file] : file.map(norm)));
  return lines;
}

function findAll(file: readonly string[], needle: readonly string[], level: MatchLevel, norm: (l: string) => string): number[] {
  const starts: number[] = [];
  if (needle.length === 0 || needle.length > file.length) return starts;
  const target = needle.map(norm);
  const normalized = normalizedFile(file, level, norm);
  const first = target[0]!;
  outer: for (let i = normalized.indexOf(first); i >= 0 && i + target.length <= normalized.length; i = normalized.indexOf(first, i + 1)) {
    for (let j = 1; j < target.length; j++) if (normalized[i + j] !== target[j]) continue outer;
    starts.push(i);
  }
  return starts;
}

/**
 * The places `needle` matches at the strictest level where it matches at all. `imperfect`: the
 * needle is what is left of a hunk after dropping context, so the hunk is known to be off.
 */
function search(file: readonly string[], needle: readonly string[], anchor?: string, options: { imperfect?: boolean } = {}): { level: MatchLevel; starts: number[] } | undefined {
  for (const [level, norm] of LEVELS) {
    let starts = findAll(file, needle, level, norm);
    if (level === 'whitespace' || level === 'unicode') starts = starts.filter((start) => indentationAgrees(needle, file, start));
    if (starts.length === 1 && (level === 'exact' || level === 'trailing_whitespace') && (options.imperfect || needle.filter(substantial).length < MIN_ANCHOR_LINES)) {
      // One exact match of a thin line ("} else {"), or of what is left of a hunk that was off
      // anyway, may owe its exactness to the model's drift: the same lines at another depth
      // (a twin block one level in) are candidates too.
      const loose = findAll(file, needle, 'whitespace', spacing).filter((start) => indentationAgrees(needle, file, start));
      if (loose.length > 1) starts = loose;
    }
    if (starts.length > 1 && anchor) {
      const chosen = afterAnchor(file, starts, anchor);
      if (chosen !== undefined) return { level, starts: [chosen] };
    }
    if (starts.length > 0) return { level, starts };
  }
  return undefined;
}

/**
 * V4A "@@ anchor" lines name something the hunk comes after (e.g. "class Report"). Among several
 * matches, the one is taken that is the first match after each line containing the anchor, if
 * that gives exactly one; otherwise the hunk stays ambiguous.
 */
function afterAnchor(file: readonly string[], starts: readonly number[], anchor: string): number | undefined {
  const wanted = spacing(foldUnicode(anchor));
  const picked = new Set<number>();
  file.forEach((line, index) => {
    if (!spacing(foldUnicode(line)).includes(wanted)) return;
    const next = starts.find((s) => s > index);
    if (next !== undefined) picked.add(next);
  });
  return picked.size === 1 ? [...picked][0] : undefined;
}

/**
 * `patchDrifted`: another hunk of the same patch matched only with its indentation shifted, so
 * this one's exact match may be the same shift landing on a twin block at another depth.
 */
export function locateHunk(file: readonly string[], hunk: Hunk, options: { patchDrifted?: boolean } = {}): LocateResult {
  const old = oldSide(hunk);
  if (old.length === 0) {
    // A pure insertion with no context can only be placed in an empty file.
    return file.length === 0 || (file.length === 1 && file[0] === '') ? { kind: 'found', location: { start: 0, level: 'exact', trimmedTop: 0, trimmedBottom: 0 } } : { kind: 'no_anchor' };
  }
  const whole = search(file, old, hunk.anchor, { imperfect: options.patchDrifted === true });
  if (whole) {
    return whole.starts.length === 1
      ? { kind: 'found', location: { start: whole.starts[0]!, level: whole.level, trimmedTop: 0, trimmedBottom: 0 } }
      : { kind: 'ambiguous', level: whole.level, starts: whole.starts, trimmedTop: 0, trimmedBottom: 0 };
  }
  const applied = search(file, newSide(hunk));
  if (applied && applied.starts.length === 1 && showsTheChange(hunk) && !removedLinesStillNear(file, hunk, applied.starts[0]!)) {
    return { kind: 'already_applied', start: applied.starts[0]! };
  }

  const leading = countWhile(hunk.lines, (l) => l.kind === 'context');
  const trailing = countWhile([...hunk.lines].reverse(), (l) => l.kind === 'context');
  // Dropping context is for a line or two the model got wrong, never for most of it: at most
  // half of the hunk's context goes, and what remains must still say something.
  const contextLines = hunk.lines.filter((l) => l.kind === 'context').length;
  const maxTrim = Math.min(2 * MAX_TRIM, Math.max(1, Math.floor(contextLines / 2)));
  for (let total = 1; total <= maxTrim; total++) {
    for (let top = Math.min(total, MAX_TRIM, leading); top >= 0; top--) {
      const bottom = total - top;
      if (bottom > Math.min(MAX_TRIM, trailing)) continue;
      const core = old.slice(top, old.length - bottom);
      if (core.filter(substantial).length < MIN_ANCHOR_LINES) continue;
      const found = search(file, core, hunk.anchor, { imperfect: true });
      if (!found) continue;
      if (found.starts.length > 1) return { kind: 'ambiguous', level: found.level, starts: found.starts, trimmedTop: top, trimmedBottom: bottom };
      if (droppedLinesPointElsewhere({ file, old, top, bottom, start: found.starts[0]! })) continue;
      return { kind: 'found', location: { start: found.starts[0]!, level: found.level, trimmedTop: top, trimmedBottom: bottom } };
    }
  }
  const elastic = omittedLines(file, hunk, leading, trailing);
  if (elastic) return elastic;
  return { kind: 'not_found', ...closestRegion(file, old) };
}

/**
 * Dropping an edge context line is for a line the model got wrong. A substantial dropped line
 * the file does have further up (or down) may instead mean the model left lines out — and then
 * the rest can line up with a twin block further away. The match is refused when, between that
 * line and the match, the file already has a look-alike of the match's first (or last)
 * substantial line (the hunk's place is more likely right after the dropped line), or when the
 * line stands only on the wrong side of the match.
 */
function droppedLinesPointElsewhere(input: { file: readonly string[]; old: readonly string[]; top: number; bottom: number; start: number }): boolean {
  const { file, old, top, bottom, start } = input;
  const norm = LEVELS[3]![1];
  const core = old.slice(top, old.length - bottom);
  const end = start + core.length;
  const same = (i: number, line: string) => file[i] !== undefined && norm(file[i]!) === norm(line);
  const firstAt = core.findIndex(substantial);
  const lastAt = core.length - 1 - [...core].reverse().findIndex(substantial);
  if (firstAt < 0) return false;
  const seenIn = (line: string, from: number, to: number) => {
    for (let k = Math.max(0, from); k < Math.min(file.length, to); k++) if (same(k, line)) return true;
    return false;
  };
  for (let i = 0; i < top; i++) {
    const line = old[i]!;
    if (!substantial(line) || same(start - top + i, line)) continue;
    let at = start - top + i - 1;
    while (at >= Math.max(0, start - OMISSION_WINDOW) && !same(at, line)) at--;
    // Not above the match but just below it: the hunk's text is about the block down there.
    if (at < Math.max(0, start - OMISSION_WINDOW)) {
      if (seenIn(line, start, end + OMISSION_WINDOW)) return true;
      continue;
    }
    if (seenIn(core[firstAt]!, at + 1, start + firstAt)) return true;
  }
  for (let j = 0; j < bottom; j++) {
    const line = old[old.length - bottom + j]!;
    if (!substantial(line) || same(end + j, line)) continue;
    let at = end + j + 1;
    while (at < Math.min(file.length, end + OMISSION_WINDOW) && !same(at, line)) at++;
    if (at >= Math.min(file.length, end + OMISSION_WINDOW)) {
      if (seenIn(line, start - OMISSION_WINDOW, end)) return true;
      continue;
    }
    if (seenIn(core[lastAt]!, start + lastAt + 1, at)) return true;
  }
  return false;
}

/** True when a hunk placed at `location` matched only by shifting its lines' indentation. */
export function matchedWithDrift(file: readonly string[], hunk: Hunk, location: Location): boolean {
  if (location.level !== 'whitespace' && location.level !== 'unicode') return false;
  const core = oldSide(hunk).slice(location.trimmedTop, oldSide(hunk).length - location.trimmedBottom);
  const indent = (line: string) => /^[ \t]*/.exec(line)![0];
  return core.some((line, i) => line.trim() !== '' && file[location.start + i]!.trim() !== '' && indent(line) !== indent(file[location.start + i]!));
}

/** A line that says something on its own: letters or digits, not a lone brace or blank. */
const substantial = (text: string) => /[A-Za-z0-9]/.test(text) && text.trim().length >= 4;

/**
 * Whether finding the hunk's new side in the file says the change is already made: it must
 * add a substantial line, or (for a pure deletion, or one adding only braces or blanks) keep
 * enough substantial context that finding it joined up means the removed lines are gone
 * rather than misremembered.
 */
function showsTheChange(hunk: Hunk): boolean {
  if (hunk.lines.some((l) => l.kind === 'add' && substantial(l.text))) return true;
  if (!hunk.lines.some((l) => l.kind === 'remove')) return false;
  return hunk.lines.filter((l) => l.kind === 'context' && substantial(l.text)).length >= MIN_ANCHOR_LINES;
}

/**
 * True when the hunk's first run of removed lines still stands near where its new side was
 * found: then the change is not made there (its context was likely cut short), and calling it
 * "already applied" would hide an edit that never happened. A run found only once counts when
 * it is near. A common run ("return;") proves nothing by itself — twin blocks repeat it — so a
 * copy near counts only when the hunk's other old lines stand around it in order, as they do
 * where the model cut a line out of the context.
 */
function removedLinesStillNear(file: readonly string[], hunk: Hunk, start: number, ignore?: { from: number; to: number }): boolean {
  // "start": where the hunk's new side was found.
  const first = hunk.lines.findIndex((l) => l.kind === 'remove');
  if (first < 0) return false;
  const run: string[] = [];
  for (let i = first; i < hunk.lines.length && hunk.lines[i]!.kind !== 'context'; i++) if (hunk.lines[i]!.kind === 'remove') run.push(hunk.lines[i]!.text);
  if (!run.some(substantial)) return false;
  const [unicode, norm] = LEVELS[3]!;
  // A copy inside the found new side is one of its own context lines, not the removed text.
  const end = start + newSide(hunk).length;
  const found = findAll(file, run, unicode, norm).filter((at) => (at + run.length <= start || at >= end) && !(ignore && at >= ignore.from && at < ignore.to));
  const near = (at: number) => Math.abs(at - start) <= 2 * hunk.lines.length;
  if (found.length === 1) return near(found[0]!);
  const old = oldSide(hunk).map(norm);
  const runAt = hunk.lines.slice(0, first).filter((l) => l.kind !== 'add').length;
  const window = (from: number, to: number) => file.slice(Math.max(0, from), Math.max(0, to)).map(norm);
  return found.some(
    (at) =>
      near(at) &&
      isSubsequence(old.slice(0, runAt), window(at - hunk.lines.length - MAX_TRIM, at)) &&
      isSubsequence(old.slice(runAt + run.length), window(at + run.length, at + run.length + hunk.lines.length + MAX_TRIM)),
  );
}

/**
 * Where the hunk's change is already made, when that is somewhere other than the place its old
 * side matched: a patch sent again after it was applied, in a file where a twin block still
 * reads like the old side. Only a hunk that adds a substantial line can show that (a deletion's
 * joined-up context may simply occur elsewhere). Undefined when the new side is not found once,
 * elsewhere.
 */
export function changeMadeElsewhere(file: readonly string[], hunk: Hunk, location: Location): number | undefined {
  if (!hunk.lines.some((l) => l.kind === 'add' && substantial(l.text))) return undefined;
  const made = search(file, newSide(hunk), hunk.anchor);
  if (!made || made.starts.length !== 1) return undefined;
  const at = made.starts[0]!;
  const matched = { from: location.start, to: location.start + oldSide(hunk).length - location.trimmedTop - location.trimmedBottom };
  const overlaps = at < matched.to && at + newSide(hunk).length > matched.from;
  return overlaps || removedLinesStillNear(file, hunk, at, matched) ? undefined : at;
}

/** How far before or after the matched changes dropped context lines are looked for. */
const OMISSION_WINDOW = 200;

/**
 * Tolerates context the model shortened by leaving out unchanged lines: the changed lines with
 * one context line on each side must match exactly one place, and every other context line of
 * the hunk must still appear, in order, just before (or after) it.
 */
function omittedLines(file: readonly string[], hunk: Hunk, leading: number, trailing: number): LocateResult | undefined {
  const old = oldSide(hunk);
  const top = Math.max(0, leading - 1);
  const bottom = Math.max(0, trailing - 1);
  if (top + bottom === 0) return undefined;
  const core = old.slice(top, old.length - bottom);
  if (core.filter(substantial).length < MIN_ANCHOR_LINES) return undefined;
  const found = search(file, core, hunk.anchor, { imperfect: true });
  if (!found) return undefined;
  if (found.starts.length > 1) return { kind: 'ambiguous', level: found.level, starts: found.starts, trimmedTop: top, trimmedBottom: bottom };
  const start = found.starts[0]!;
  const norm = (l: string) => spacing(foldUnicode(l));
  const before = old.slice(0, top).filter((l) => l.trim() !== '').map(norm);
  const after = old.slice(old.length - bottom).filter((l) => l.trim() !== '').map(norm);
  const window = (from: number, to: number) => file.slice(Math.max(0, from), Math.max(0, to)).map(norm);
  if (!isSubsequence(before, window(start - OMISSION_WINDOW, start))) return undefined;
  if (!isSubsequence(after, window(start + core.length, start + core.length + OMISSION_WINDOW))) return undefined;
  return { kind: 'found', location: { start, level: found.level, trimmedTop: top, trimmedBottom: bottom } };
}

function isSubsequence(needle: readonly string[], hay: readonly string[]): boolean {
  let i = 0;
  for (const line of hay) if (i < needle.length && line === needle[i]) i++;
  return i === needle.length;
}

function countWhile<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  let n = 0;
  while (n < items.length && predicate(items[n]!)) n++;
  return n;
}

/** Where the most old lines match in order (whitespace-insensitive), to point the model at it. */
function closestRegion(file: readonly string[], old: readonly string[]): { closest?: { start: number; matchingLines: number; ofLines: number } } {
  const norm = LEVELS[2]![1];
  const target = old.map(norm);
  let best: { start: number; matchingLines: number; ofLines: number } | undefined;
  for (let i = 0; i < file.length; i++) {
    let matching = 0;
    for (let j = 0; j < target.length && i + j < file.length; j++) if (norm(file[i + j]!) === target[j]) matching++;
    if (matching > 0 && (!best || matching > best.matchingLines)) best = { start: i, matchingLines: matching, ofLines: target.length };
  }
  return best ? { closest: best } : {};
}
