// Pure permission predicates over a grant. Tools receive the grant per session and ask
// these; nothing here reads globals, the environment or the file system.
import picomatch from 'picomatch';
import { isGitPath } from './confine/resolve-path.ts';
import type { Grant, ToolName } from './grant.ts';

type Matcher = (path: string) => boolean;
const compiled = new WeakMap<readonly string[], Matcher>();

/**
 * Globs starting with "!" are exclusions: a path matches when some positive glob matches and
 * no exclusion does. (picomatch alone would read "!x" as "everything but x" and widen the grant.)
 */
function matcherFor(globs: readonly string[]): Matcher {
  let matcher = compiled.get(globs);
  if (!matcher) {
    const positive = globs.filter((g) => !g.startsWith('!'));
    const negative = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
    const include = positive.length === 0 ? () => false : picomatch(positive, { dot: true });
    const exclude = negative.length === 0 ? () => false : picomatch(negative, { dot: true });
    matcher = (rel) => include(rel) && !exclude(rel);
    compiled.set(globs, matcher);
  }
  return matcher;
}

/** `rel` is a root-relative POSIX path. `.git` is never readable through tools. */
export function canRead(grant: Grant, rel: string): boolean {
  if (rel === '' || isGitPath(rel)) return false;
  return matcherFor(grant.read)(rel);
}

/** Writes need a write glob; `.git` is never writable. */
export function canWrite(grant: Grant, rel: string): boolean {
  if (rel === '' || isGitPath(rel)) return false;
  return matcherFor(grant.write)(rel);
}

export function canUseTool(grant: Grant, tool: ToolName): boolean {
  return grant.tools.includes(tool);
}

export function isExpired(grant: Grant, nowMs: number): boolean {
  return grant.expiresAt !== undefined && nowMs >= grant.expiresAt;
}

/** Whether some readable file could live below directory `rel` ('' is the root). Used to prune walks. */
export function mayContainReadable(grant: Grant, rel: string): boolean {
  if (isGitPath(rel)) return false;
  if (rel === '') return grant.read.length > 0;
  return grant.read.some((glob) => {
    if (glob.startsWith('!')) return false;
    const base = picomatch.scan(glob).base;
    return base === '' || base === rel || base.startsWith(`${rel}/`) || rel.startsWith(`${base}/`);
  });
}
