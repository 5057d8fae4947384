// When a hunk matches only ignoring whitespace, its indentation must still tell the same story
// as the file's: one consistent re-indentation (two spaces deeper, tabs typed as spaces), not
// some lines shifted and others not. A hunk whose lines line up with a region only by
// disagreeing about nesting is describing a different region, so that match is not taken.

const indentWidth = (line: string) => /^[ \t]*/.exec(line)![0].length;

/**
 * True when mapping the file's indentation widths to the hunk's is a function that keeps
 * their order: equal file indents have equal hunk indents, deeper stays deeper.
 */
export function indentationAgrees(hunkLines: readonly string[], file: readonly string[], start: number): boolean {
  const mapped = new Map<number, number>();
  for (let i = 0; i < hunkLines.length; i++) {
    const ours = hunkLines[i]!;
    const theirs = file[start + i]!;
    if (ours.trim() === '' || theirs.trim() === '') continue;
    const from = indentWidth(theirs);
    const to = indentWidth(ours);
    const seen = mapped.get(from);
    if (seen !== undefined && seen !== to) return false;
    mapped.set(from, to);
  }
  const pairs = [...mapped].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < pairs.length; i++) if (pairs[i]![1] <= pairs[i - 1]![1]) return false;
  return true;
}
