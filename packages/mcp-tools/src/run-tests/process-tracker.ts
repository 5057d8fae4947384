// Finds, without namespaces, every process an unsandboxed test command started, so that none
// lives on after the call: children that left the process group or session (setsid), that were
// orphaned (double fork) or that ignore SIGTERM. A process belongs to the command when
//  - it was seen belonging before (same pid and start time: never a reused pid), or
//  - its parent belongs (checked by start time too), or
//  - it is in a process group or session whose leader belongs and is alive, or
//  - its environment carries the run's marker (inherited unless a process clears it).
// Scanned periodically while the command runs and repeatedly when it ends. What escapes: a
// process whose ancestors all exited between two scans AND that dropped the marker from its
// environment, or one started by another service (systemd, a container daemon) on its behalf.
import { environHas, readProcessTable, type ProcessEntry } from './process-table.ts';

export class ProcessTracker {
  readonly #root: ProcessEntry;
  readonly #marker: string;
  /** pid → start time of every process seen belonging to the command. */
  readonly #known = new Map<number, number>();

  /** `root` is the command's own process; `marker` is `NAME=value` as set in its environment. */
  constructor(root: ProcessEntry, marker: string) {
    this.#root = root;
    this.#marker = marker;
    this.#known.set(root.pid, root.start);
  }

  /** The live processes that belong to the command now (zombies excluded), remembering them. */
  scan(options: { readEnvironments: boolean }): ProcessEntry[] {
    const table = readProcessTable();
    const isKnown = (pid: number) => {
      const entry = table.get(pid);
      return entry !== undefined && this.#known.get(pid) === entry.start;
    };
    const candidates = [...table.values()].filter((p) => p.start >= this.#root.start && !isKnown(p.pid));
    const marked = new Map<number, boolean>();
    const hasMarker = (pid: number) => {
      if (!marked.has(pid)) marked.set(pid, environHas(pid, this.#marker));
      return marked.get(pid) === true;
    };
    // Repeat until nothing new joins: a child is recognised once its parent is.
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of candidates) {
        if (isKnown(p.pid)) continue;
        if (isKnown(p.ppid) || isKnown(p.pgid) || isKnown(p.sid) || (options.readEnvironments && hasMarker(p.pid))) {
          this.#known.set(p.pid, p.start);
          grew = true;
        }
      }
    }
    return [...table.values()].filter((p) => isKnown(p.pid) && !p.zombie);
  }
}
