// The indentation of the lines a hunk adds, in the file's own style. The hunk's unchanged and
// removed lines, paired with the file lines they matched, say how the patch's indentation maps
// to the file's: the same (an exact match), a uniform drift (two spaces deeper, a tab put in
// front), or another unit (tabs typed where the file has four spaces, or the reverse). Added
// lines are rewritten through that mapping, in the unit and characters the file uses around the
// edit; when no mapping gives the file's own kind of indentation for every added line, or the
// possible mappings disagree on how deep a line goes, the hunk is refused rather than written
// with indentation the file does not have.
import { describeIndentStyle, fitsIndentStyle, indentOf, indents, spaceUnitOf, shapeOf, type IndentStyle } from './indent-style.ts';
import { foldUnicode } from './locate-hunk.ts';
import type { Hunk } from './parse-patch.ts';

export type Reindented = { ok: true; lines: string[] } | { ok: false; message: string };

/** Maps one added line's indentation to the file's, or undefined when it cannot. */
type Mapping = (indent: string) => string | undefined;

interface Pair {
  hunk: string;
  file: string;
}

/** How far around the matched lines the local style is read when they are not indented. */
const WINDOW = 50;
/** Tab widths tried when a tab must be measured against spaces. */
const TAB_WIDTHS = [2, 3, 4, 8];

const fileStyles = new WeakMap<readonly string[], IndentStyle>();
function fileStyleOf(file: readonly string[]): IndentStyle {
  let style = fileStyles.get(file);
  if (!style) fileStyles.set(file, (style = describeIndentStyle(file)));
  return style;
}

const isBlank = (line: string) => line.trim() === '';
const loose = (line: string) => foldUnicode(line).trim().replace(/\s+/g, ' ');

/**
 * `start` and `coreLength`: the file lines the hunk matched, after `trimmedTop` and
 * `trimmedBottom` of its edge context lines were dropped.
 */
export function reindentAddedLines(input: { hunk: Hunk; file: readonly string[]; start: number; coreLength: number; trimmedTop: number; trimmedBottom: number }): Reindented {
  const { hunk, file, start, coreLength, trimmedTop, trimmedBottom } = input;
  const added = hunk.lines.filter((l) => l.kind === 'add').map((l) => l.text);
  if (added.length === 0) return { ok: true, lines: [] };
  // Each unchanged or removed line beside the file line it stands for. Dropped edge context
  // counts where the file has the same text right there: a line dropped only because its
  // indentation disagreed with the rest still says the hunk's indentation cannot be trusted.
  const pairs: Pair[] = [];
  let at = start - trimmedTop;
  hunk.lines.forEach((line, i) => {
    if (line.kind === 'add') return;
    const fileLine = file[at++];
    const dropped = i < trimmedTop || i >= hunk.lines.length - trimmedBottom;
    if (fileLine === undefined || isBlank(line.text) || isBlank(fileLine)) return;
    if (dropped && loose(line.text) !== loose(fileLine)) return;
    pairs.push({ hunk: indentOf(line.text), file: indentOf(fileLine) });
  });
  const whole = fileStyleOf(file);
  // The style of the matched lines, else of the lines around them, else of the whole file.
  let local = describeIndentStyle(file.slice(start, start + coreLength));
  if (!indents(local)) local = describeIndentStyle(file.slice(Math.max(0, start - WINDOW), start + coreLength + WINDOW));
  if (!indents(local)) local = whole;
  const fits = (indent: string) => fitsIndentStyle(indent, local, whole);

  const attempt = (mapping: Mapping | undefined): string[] | undefined => {
    if (!mapping) return undefined;
    const out: string[] = [];
    for (const text of added) {
      const indent = indentOf(text);
      const mapped = mapping(indent);
      if (isBlank(text)) {
        // A blank line's whitespace is not indentation: kept when it fits, else dropped.
        out.push(mapped !== undefined && fits(mapped) ? mapped + text.slice(indent.length) : fits(indent) ? text : text.slice(indent.length));
        continue;
      }
      if (mapped === undefined || !fits(mapped)) return undefined;
      out.push(mapped + text.slice(indent.length));
    }
    return out;
  };

  const lines = attempt(prefixSwap(pairs)) ?? attempt(unitChange({ pairs, added, local, whole, fits })) ?? attempt(sameAsPaired(pairs)) ?? attempt((indent) => indent);
  if (lines) return { ok: true, lines };
  return { ok: false, message: refusal(hunk, added, local, whole.spaceUnit ?? local.spaceUnit) };
}

/**
 * A uniform drift: every paired line's indentation is the file's with the same prefix added
 * (or removed) — "  " for two spaces deeper, "\t" for a tab put in front. Undefined when the
 * pairs disagree, or when the patch and the file differ by more than a prefix (tabs against
 * spaces), which is `unitChange`'s case.
 */
function prefixSwap(pairs: readonly Pair[]): Mapping | undefined {
  let swap: { from: string; to: string } | undefined;
  for (const { hunk, file } of pairs) {
    if (hunk === '' && file === '') continue;
    let common = 0;
    while (common < hunk.length && common < file.length && hunk[hunk.length - 1 - common] === file[file.length - 1 - common]) common++;
    const from = hunk.slice(0, hunk.length - common);
    const to = file.slice(0, file.length - common);
    if (from !== '' && to !== '') return undefined;
    if (swap && (swap.from !== from || swap.to !== to)) return undefined;
    swap = { from, to };
  }
  if (!swap) return (indent) => indent;
  const { from, to } = swap;
  return (indent) => (indent.startsWith(from) ? to + indent.slice(from.length) : undefined);
}

/**
 * When the pairs tell no single story (some context lines lost their indentation, say), an
 * added line indented exactly like some unchanged lines of the hunk is taken to stand at their
 * depth — if they all stand at one depth in the file.
 */
function sameAsPaired(pairs: readonly Pair[]): Mapping {
  const depths = new Map<string, Set<string>>();
  for (const { hunk, file } of pairs) depths.set(hunk, (depths.get(hunk) ?? new Set()).add(file));
  return (indent) => {
    const found = depths.get(indent);
    return found?.size === 1 ? [...found][0] : undefined;
  };
}

/** The visual column an indentation reaches with tab stops every `tab` columns. */
function columns(indent: string, tab: number): number {
  let col = 0;
  for (const ch of indent) col = ch === '\t' ? (Math.floor(col / tab) + 1) * tab : col + 1;
  return col;
}

/**
 * Tabs against spaces: with a tab as wide as one level, the patch's columns map to the file's
 * by one shift (zero unless it also drifted), and each added line is written at its column in
 * the file's characters — tabs then alignment spaces, or spaces only. The tab width is the one
 * the evidence names: the whole file's step when a tab-indented patch meets spaces (a few
 * matched lines may skip levels), the patch's own step when a space-indented patch meets tabs;
 * otherwise every width the pairs allow must give the same lines (or, failing that, every width
 * that needs no drift).
 */
function unitChange(input: { pairs: readonly Pair[]; added: readonly string[]; local: IndentStyle; whole: IndentStyle; fits: (indent: string) => boolean }): Mapping | undefined {
  const { pairs, added, local, whole, fits } = input;
  const useTabs = local.tabLines > local.spaceLines ? true : local.spaceLines > local.tabLines ? false : undefined;
  if (useTabs === undefined) return undefined;
  const hunkIndents = [...pairs.map((p) => p.hunk), ...added.filter((l) => !isBlank(l)).map(indentOf)];
  const patchHasTabs = hunkIndents.some((i) => i.includes('\t'));
  const fileHasTabs = useTabs || pairs.some((p) => p.file.includes('\t'));
  if (!patchHasTabs && !fileHasTabs) return undefined;
  // A tab is one level: of the file when a tab-indented patch meets spaces, of the patch's own
  // space-indented lines when they meet tabs (from their steps, e.g. an added block at 8 and 12).
  const spacedLines = hunkIndents.filter((i) => i !== '' && !i.includes('\t'));
  const preferred = patchHasTabs && !fileHasTabs ? (whole.spaceUnit ?? local.spaceUnit) : fileHasTabs ? spaceUnitOf((patchHasTabs ? spacedLines : hunkIndents).map((i) => i.length)) : undefined;

  const render = (col: number, tab: number) => (useTabs ? '\t'.repeat(Math.floor(col / tab)) + ' '.repeat(col % tab) : ' '.repeat(col));
  const candidates: { tab: number; shift: number; mapping: Mapping; key: string }[] = [];
  for (const tab of new Set([...(preferred !== undefined ? [preferred] : []), ...TAB_WIDTHS])) {
    const shifts = new Set(pairs.map((p) => columns(p.file, tab) - columns(p.hunk, tab)));
    if (shifts.size > 1) continue;
    const shift = [...shifts][0] ?? 0;
    const mapping: Mapping = (indent) => {
      const col = columns(indent, tab) + shift;
      return col < 0 ? undefined : render(col, tab);
    };
    const out = added.filter((l) => !isBlank(l)).map((l) => mapping(indentOf(l)));
    if (out.some((o) => o === undefined || !fits(o))) continue;
    candidates.push({ tab, shift, mapping, key: out.join('\n') });
  }
  const chosen = candidates.find((c) => c.tab === preferred);
  if (chosen) return chosen.mapping;
  for (const pool of [candidates, candidates.filter((c) => c.shift === 0)]) {
    if (pool.length > 0 && new Set(pool.map((c) => c.key)).size === 1) return pool[0]!.mapping;
  }
  return undefined;
}

function describeIndent(indents: readonly string[]): string {
  const shapes = new Set(indents.map(shapeOf).filter((s) => s !== 'none'));
  if (shapes.size === 1 && shapes.has('tabs')) return 'tabs';
  if (shapes.size === 1 && shapes.has('spaces')) return 'spaces';
  return 'tabs and spaces';
}

function refusal(hunk: Hunk, added: readonly string[], local: IndentStyle, spaceUnit: number | undefined): string {
  const name = `hunk ${hunk.index}${hunk.oldStartHint !== undefined ? ` (@@ -${hunk.oldStartHint})` : ''}`;
  const theirs = describeIndent(added.filter((l) => !isBlank(l)).map(indentOf));
  const ours = local.tabLines > local.spaceLines ? 'tabs' : local.spaceLines > 0 ? (spaceUnit !== undefined ? `${spaceUnit} spaces per level` : 'spaces') : undefined;
  if (ours === undefined) return `${name} adds lines indented with tabs and spaces mixed, in a file that has no indented lines yet, so it was not applied. Indent them with tabs or with spaces, not both.`;
  return (
    `${name} adds lines indented with ${theirs}, but the file is indented with ${ours} there, and how deep each added line goes could not be told ` +
    `from the hunk's unchanged lines, so it was not applied. Write the added lines with the file's own indentation (${ours}), as read_file shows it.`
  );
}
