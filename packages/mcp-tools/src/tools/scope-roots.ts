// Narrows a walk to the directories a grant can read, so a session scoped to `src/**`
// does not make ripgrep walk the whole repository.
import picomatch from 'picomatch';
import type { Grant } from '../grant.ts';

/**
 * Root-relative directories to hand to ripgrep for a walk below `dir` ('' = root).
 * Returns [dir] unless every read glob has a static base directory deeper than `dir`.
 */
export function scopeRoots(grant: Grant, dir: string): string[] {
  const bases = grant.read.map((glob) => picomatch.scan(glob).base.replace(/\/+$/, ''));
  if (bases.some((base) => base === '' || isWithin(dir, base))) return [dir];
  const below = bases.filter((base) => isWithin(base, dir));
  const unique = [...new Set(below)].sort();
  return unique.filter((base) => !unique.some((other) => other !== base && isWithin(base, other)));
}

/** True when `child` is `parent` or below it (root-relative POSIX; '' is the root). */
function isWithin(child: string, parent: string): boolean {
  return parent === '' || child === parent || child.startsWith(`${parent}/`);
}
