// What a file's indentation looks like — tabs, spaces (and how many per level), tabs followed by
// alignment spaces — so that lines a patch adds are written only in indentation the file itself
// uses: a tab never enters a file indented with spaces, nor a run of spaces a file indented with
// tabs, unless the file already does that.

export interface IndentStyle {
  /** Lines whose indentation starts with a tab. */
  tabLines: number;
  /** Lines whose indentation starts with two or more spaces (a single space is alignment, as in " * "). */
  spaceLines: number;
  /** Widest spaces-only indentation; 0 when there is none. */
  widestSpaces: number;
  /** Widest run of spaces after leading tabs ("\t * x" is 1); -1 when no line has one. */
  widestAlignment: number;
  /** Some line's indentation has a space before a tab. */
  spaceThenTab: boolean;
  /** Columns per level among space-indented lines (the most common step), if any step was seen. */
  spaceUnit?: number;
}

export const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];
const isBlank = (line: string) => line.trim() === '';

export type IndentShape = 'none' | 'tabs' | 'spaces' | 'tabs_then_spaces' | 'mixed';

export function shapeOf(indent: string): IndentShape {
  if (indent === '') return 'none';
  if (/^\t+$/.test(indent)) return 'tabs';
  if (/^ +$/.test(indent)) return 'spaces';
  if (/^\t+ +$/.test(indent)) return 'tabs_then_spaces';
  return 'mixed';
}

export function describeIndentStyle(lines: Iterable<string>): IndentStyle {
  const style: IndentStyle = { tabLines: 0, spaceLines: 0, widestSpaces: 0, widestAlignment: -1, spaceThenTab: false };
  const widths: number[] = [];
  for (const line of lines) {
    if (isBlank(line)) continue;
    const indent = indentOf(line);
    const shape = shapeOf(indent);
    if (shape === 'none' || shape === 'spaces') widths.push(indent.length);
    if (shape === 'tabs' || shape === 'tabs_then_spaces') style.tabLines++;
    if (shape === 'spaces') {
      style.widestSpaces = Math.max(style.widestSpaces, indent.length);
      if (indent.length >= 2) style.spaceLines++;
    }
    if (shape === 'tabs_then_spaces') style.widestAlignment = Math.max(style.widestAlignment, indent.length - indent.lastIndexOf('\t') - 1);
    if (shape === 'mixed') {
      style.spaceThenTab = true;
      if (indent.startsWith('\t')) style.tabLines++;
      else style.spaceLines++;
    }
  }
  const unit = spaceUnitOf(widths);
  if (unit !== undefined) style.spaceUnit = unit;
  return style;
}

/**
 * The most common step between successive space indentations (as detect-indent measures it),
 * ignoring one-column steps, which are alignment; ties go to the smaller step.
 */
export function spaceUnitOf(widths: readonly number[]): number | undefined {
  const steps = new Map<number, number>();
  for (let i = 1; i < widths.length; i++) {
    const step = Math.abs(widths[i]! - widths[i - 1]!);
    if (step >= 2) steps.set(step, (steps.get(step) ?? 0) + 1);
  }
  let best: [number, number] | undefined;
  for (const [step, count] of steps) if (!best || count > best[1] || (count === best[1] && step < best[0])) best = [step, count];
  return best?.[0];
}

export const indents = (style: IndentStyle): boolean => style.tabLines + style.spaceLines > 0;

/**
 * Whether `indent` is indentation the file writes: tabs or spaces as the lines around the edit
 * (`local`) use them; alignment spaces after tabs, or a lone column of spaces, only as wide as
 * somewhere in the file (`file`); a space before a tab only where the file has one. A file
 * not indented at all takes tabs or spaces, but not the two mixed.
 */
export function fitsIndentStyle(indent: string, local: IndentStyle, file: IndentStyle): boolean {
  const shape = shapeOf(indent);
  if (shape === 'none') return true;
  if (!indents(file)) return shape === 'tabs' || shape === 'spaces';
  switch (shape) {
    case 'tabs':
      return local.tabLines > 0;
    case 'spaces':
      return local.spaceLines > 0 || indent.length <= Math.min(1, file.widestSpaces);
    case 'tabs_then_spaces':
      return local.tabLines > 0 && indent.length - indent.lastIndexOf('\t') - 1 <= file.widestAlignment;
    case 'mixed':
      return file.spaceThenTab;
  }
}
