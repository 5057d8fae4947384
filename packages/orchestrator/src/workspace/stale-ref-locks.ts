// Lock files a killed git left on baton's own refs: `refs/heads/baton/<run>.lock` (a cherry-pick
// or reset on the run branch), `refs/heads/baton-tasks/<run>/*.lock` (a task branch being reset
// or committed to) and `refs/baton/<run>/**.lock`. While one exists git refuses to move the ref
// ("Unable to create '….lock': File exists"). Only a process holding the run's lock may call
// this: no other baton process is then working on these refs. And `packed-refs.lock`, which
// every ref deletion takes (a cherry-pick deletes CHERRY_PICK_HEAD; cleanup deletes task
// branches), so a killed baton can leave it and block every branch deletion in the repository:
// it is shared, so it is removed only when it was made while the killed baton process ran and
// it stays untouched long enough that no live git can be holding it. Locks on anything else
// (the user's index, the user's refs) are never touched.
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { runBranchRef, taskBranchesPrefix } from './baton-paths.ts';

function locksUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile() && e.name.endsWith('.lock')).map((e) => path.join(e.parentPath, e.name));
}

/** Removes the run's stale ref locks; returns their paths. */
export function removeStaleRunRefLocks(commonDir: string, runId: string): string[] {
  const candidates = [
    path.join(commonDir, `${runBranchRef(runId)}.lock`),
    ...locksUnder(path.join(commonDir, taskBranchesPrefix(runId))),
    ...locksUnder(path.join(commonDir, 'refs', 'baton', runId)),
  ];
  const removed: string[] = [];
  for (const file of candidates) {
    try {
      rmSync(file);
      removed.push(file);
    } catch {
      // Not there: nothing was left.
    }
  }
  return removed;
}

/** How long a packed-refs.lock must stay unchanged before it counts as left behind, not held. */
export const PACKED_REFS_STALE_MS = 2_000;

/**
 * Removes `packed-refs.lock` if a baton process that died holding the run (it started at
 * `crashedProcessSince`) left it: made after that start, and unchanged for PACKED_REFS_STALE_MS
 * (a live git holds it for milliseconds). Returns the path when it removed it.
 */
export async function removeStalePackedRefsLock(commonDir: string, crashedProcessSince: Date, staleMs = PACKED_REFS_STALE_MS): Promise<string | undefined> {
  const file = path.join(commonDir, 'packed-refs.lock');
  const look = () => {
    try {
      const stat = statSync(file);
      return { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino };
    } catch {
      return undefined;
    }
  };
  const first = look();
  // File times may be a little coarser than the recorded start; a second of slack keeps ours ours.
  if (!first || first.mtimeMs < crashedProcessSince.getTime() - 1_000) return undefined;
  const deadline = Date.now() + staleMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = look();
    if (!now || now.mtimeMs !== first.mtimeMs || now.size !== first.size || now.ino !== first.ino) return undefined;
  }
  rmSync(file, { force: true });
  return file;
}
