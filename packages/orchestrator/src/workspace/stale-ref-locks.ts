// Lock files a killed git left on baton's own refs: `refs/heads/baton/<run>.lock` (a cherry-pick
// or reset on the run branch), `refs/heads/baton-tasks/<run>/*.lock` (a task branch being reset
// or committed to) and `refs/baton/<run>/**.lock`. While one exists git refuses to move the ref
// ("Unable to create '….lock': File exists"). Only a process holding the run's lock may call
// this: no other baton process is then working on these refs. Locks on anything else (the
// user's index, other refs, packed-refs) are never touched.
import { readdirSync, rmSync } from 'node:fs';
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
