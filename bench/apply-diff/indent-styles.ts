// Indentation re-typed in another style, as models do when they write a patch with tabs for a
// file indented with spaces or the reverse: one tab per level of the file, or n spaces per tab,
// alignment spaces kept. Also whole files converted, for tab-indented and mixed variants of real
// code, and the file facts the corpus needs (which style, how wide a level is).

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

/** The most common step between successive space indentations of at least two columns. */
export function spaceUnit(text: string): number {
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const indent = indentOf(line);
    if (indent.includes('\t')) continue;
    const step = Math.abs(indent.length - previous);
    if (step >= 2) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = indent.length;
  }
  return [...steps].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 4;
}

export type FileStyle = 'tabs' | 'spaces' | 'mixed';

export function fileStyle(text: string): FileStyle {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const tabbed = lines.filter((l) => l.startsWith('\t')).length;
  const spaced = lines.filter((l) => l.startsWith('  ')).length;
  if (tabbed > 0 && spaced > 0 && Math.min(tabbed, spaced) >= 0.2 * Math.max(tabbed, spaced)) return 'mixed';
  return tabbed > spaced ? 'tabs' : 'spaces';
}

/** Spaces to tabs: one tab per `unit` columns, what is left over kept as alignment spaces. */
export function tabsFor(indent: string, unit: number): string {
  if (indent.includes('\t')) return indent;
  return '\t'.repeat(Math.floor(indent.length / unit)) + ' '.repeat(indent.length % unit);
}

/** Leading tabs to `width` spaces each; spaces after them kept. */
export function spacesFor(indent: string, width: number): string {
  const tabs = /^\t*/.exec(indent)![0].length;
  return ' '.repeat(tabs * width) + indent.slice(tabs).replace(/\t/g, ' '.repeat(width));
}

/** The other style for one line's indentation: tabs if it has spaces, spaces if it has tabs. */
export function otherStyle(indent: string, input: { unit: number; width: number }): string {
  return indent.includes('\t') ? spacesFor(indent, input.width) : tabsFor(indent, input.unit);
}

/** Applies `f` to the indentation of a diff line's text (after its " ", "-" or "+" marker). */
export function retypeDiffLine(line: string, f: (indent: string) => string): string {
  if (line === '' || line.startsWith('\\')) return line;
  const text = line.slice(1);
  if (text.trim() === '') return line;
  const indent = indentOf(text);
  return line[0] + f(indent) + text.slice(indent.length);
}

/** The whole file indented with tabs (one per level of `unit` spaces). */
export function tabbedCopy(text: string): string {
  const unit = spaceUnit(text);
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? l : tabsFor(indentOf(l), unit) + l.slice(indentOf(l).length)))
    .join('\n');
}

/**
 * The file with everything from a top-level line near its middle on indented with tabs, as in
 * a project that changed style half way through a file. Undefined if no such line.
 */
export function mixedCopy(text: string): string | undefined {
  const lines = text.split('\n');
  const unit = spaceUnit(text);
  const middle = Math.floor(lines.length / 2);
  let from = -1;
  for (let d = 0; d < middle && from < 0; d++) {
    for (const i of [middle + d, middle - d]) if (from < 0 && /^[A-Za-z_]/.test(lines[i] ?? '') && (lines[i + 1] ?? '').startsWith(' ')) from = i;
  }
  if (from < 0) return undefined;
  return lines.map((l, i) => (i < from || l.trim() === '' ? l : tabsFor(indentOf(l), unit) + l.slice(indentOf(l).length))).join('\n');
}
