// Line numbers in @@ headers are hints, never trusted alone. They may choose among the places a
// hunk matches equally well only when they are consistent: every other hunk of the file that
// its text placed uniquely was off from its header by the same amount, and that same offset
// lands this hunk exactly on one of its candidates.
import type { LocateResult } from './locate-hunk.ts';
import type { Hunk } from './parse-patch.ts';

type Ambiguous = Extract<LocateResult, { kind: 'ambiguous' }>;

/** The offset (placed line − header line) all uniquely placed hunks with a header line share; undefined if none or they disagree. */
export function agreedOffset(placed: readonly { line: number; hintLine?: number }[]): number | undefined {
  const offsets = new Set(placed.flatMap((p) => (p.hintLine === undefined ? [] : [p.line - p.hintLine])));
  return offsets.size === 1 ? [...offsets][0] : undefined;
}

/** The 0-based start of the one candidate the agreed offset predicts, or undefined. */
export function pickByLineHint(hunk: Hunk, result: Ambiguous, offset: number | undefined): number | undefined {
  if (offset === undefined || hunk.oldStartHint === undefined) return undefined;
  const predicted = hunk.oldStartHint + result.trimmedTop + offset - 1;
  const hits = result.starts.filter((s) => s === predicted);
  return hits.length === 1 ? hits[0] : undefined;
}
