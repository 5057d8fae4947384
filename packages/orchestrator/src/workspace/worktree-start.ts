// What a new checkout of baton's holds: the commit, and whether HEAD is a branch there.
export type WorktreeStart =
  /** An existing branch, as it is (the run branch in its integration checkout). */
  | { kind: 'branch'; branch: string }
  /** A branch created, or moved, to `commit` (a task branch for a new attempt). */
  | { kind: 'reset-branch'; branch: string; commit: string }
  | { kind: 'detached'; commit: string };

