// When a hunk matches only ignoring whitespace, its indentation must still tell the same story
// as the file's: one consistent re-indentation (two spaces deeper, tabs typed as spaces), not
// some lines shifted and others not. A hunk whose lines line up with a region only by
// disagreeing about nesting is describing a different region, so that match is not taken.

/** Tab widths a tab may stand for; 1 counts characters (a tab typed for each space-indented level of one). */
const TAB_WIDTHS = [1, 2, 4, 8];

function indentColumns(line: string, tab: number): number {
  let col = 0;
  for (const ch of /^[ \t]*/.exec(line)![0]) col = ch === '\t' ? (Math.floor(col / tab) + 1) * tab : col + 1;
  return col;
}

/**
 * True when, for some width of a tab, mapping the file's indentation columns to the hunk's is
 * a function that keeps their order: equal file indents have equal hunk indents, deeper stays
 * deeper. Trying tab widths lets a tab-indented hunk with alignment spaces (" * " under "/**")
 * line up with a file indented with spaces.
 */
export function indentationAgrees(hunkLines: readonly string[], file: readonly string[], start: number): boolean {
  return TAB_WIDTHS.some((tab) => agreesWithTab(hunkLines, file, start, tab));
}

function agreesWithTab(hunkLines: readonly string[], file: readonly string[], start: number, tab: number): boolean {
  const mapped = new Map<number, number>();
  for (let i = 0; i < hunkLines.length; i++) {
    const ours = hunkLines[i]!;
    const theirs = file[start + i]!;
    if (ours.trim() === '' || theirs.trim() === '') continue;
    const from = indentColumns(theirs, tab);
    const to = indentColumns(ours, tab);
    const seen = mapped.get(from);
    if (seen !== undefined && seen !== to) return false;
    mapped.set(from, to);
  }
  const pairs = [...mapped].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < pairs.length; i++) if (pairs[i]![1] <= pairs[i - 1]![1]) return false;
  return true;
}
