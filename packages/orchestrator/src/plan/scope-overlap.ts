// Could two write scopes ever touch the same file? A conservative test on glob patterns:
// it may answer "overlap" for globs that are in fact disjoint, never the other way round.
// Used to flag plans and to keep the scheduler from running such tasks at the same time.
import picomatch from 'picomatch';

const COMPLEX = /[[\]{}()!+@\\]/;
const WILD = /[*?[\]{}()!+@\\]/;
const MAX_BRACE_EXPANSIONS = 64;

export interface ScopeOverlap {
  a: string;
  b: string;
}

/** Normalises a scope glob to '/'-separated segments ("dir/" means everything under dir). */
export function globSegments(glob: string): string[] {
  let g = glob.trim().replace(/\/{2,}/g, '/');
  while (g.startsWith('./')) g = g.slice(2);
  if (g.endsWith('/')) g += '**';
  return g.split('/').filter((s) => s !== '' && s !== '.');
}

/** Expands simple, non-nested `{a,b}` groups; anything fancier is left for the conservative path. */
export function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{');
  if (open < 0) return [glob];
  const close = glob.indexOf('}', open);
  const inner = close < 0 ? '' : glob.slice(open + 1, close);
  if (close < 0 || inner.includes('{') || !inner.includes(',')) return [glob];
  const out: string[] = [];
  for (const option of inner.split(',')) {
    for (const rest of expandBraces(glob.slice(close + 1))) {
      out.push(glob.slice(0, open) + option + rest);
      if (out.length > MAX_BRACE_EXPANSIONS) return [glob];
    }
  }
  return out;
}

function literalPrefix(segment: string): string {
  const i = segment.search(WILD);
  return i < 0 ? segment : segment.slice(0, i);
}

function literalSuffix(segment: string): string {
  for (let i = segment.length - 1; i >= 0; i--) if (WILD.test(segment[i]!)) return segment.slice(i + 1);
  return segment;
}

/** Can some single path segment match both segment patterns? */
export function segmentsOverlap(x: string, y: string): boolean {
  if (x === y) return true;
  const xLiteral = !WILD.test(x);
  const yLiteral = !WILD.test(y);
  if (xLiteral && yLiteral) return false;
  if (xLiteral) return picomatch.isMatch(x, y, { dot: true });
  if (yLiteral) return picomatch.isMatch(y, x, { dot: true });
  if (COMPLEX.test(x) || COMPLEX.test(y)) return true;
  const px = literalPrefix(x);
  const py = literalPrefix(y);
  const sx = literalSuffix(x);
  const sy = literalSuffix(y);
  return (px.startsWith(py) || py.startsWith(px)) && (sx.endsWith(sy) || sy.endsWith(sx));
}

function sequencesOverlap(a: readonly string[], b: readonly string[]): boolean {
  const memo = new Map<number, boolean>();
  const width = b.length + 1;
  const walk = (i: number, j: number): boolean => {
    const key = i * width + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (i < a.length && a[i] === '**') result = walk(i + 1, j) || (j < b.length && walk(i, j + 1));
    else if (j < b.length && b[j] === '**') result = walk(i, j + 1) || (i < a.length && walk(i + 1, j));
    else if (i === a.length || j === b.length) result = false;
    else result = segmentsOverlap(a[i]!, b[j]!) && walk(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return walk(0, 0);
}

/** True when some path could match both globs (conservative: unsure means true). */
export function globsOverlap(a: string, b: string): boolean {
  if (a.startsWith('!') || b.startsWith('!')) return true;
  for (const x of expandBraces(a)) {
    for (const y of expandBraces(b)) {
      if (sequencesOverlap(globSegments(x), globSegments(y))) return true;
    }
  }
  return false;
}

/** The first pair of globs through which two scopes overlap, if any. */
export function scopesOverlap(a: readonly string[], b: readonly string[]): ScopeOverlap | undefined {
  for (const x of a) for (const y of b) if (globsOverlap(x, y)) return { a: x, b: y };
  return undefined;
}
