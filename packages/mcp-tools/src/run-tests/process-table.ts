// Reads the host's process table from /proc (Linux): who is whose parent, in which process group
// and session, and when each process started, which with the pid names a process uniquely (a pid
// alone may be reused as soon as its process is reaped).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** Start time in clock ticks since boot: (pid, start) identifies one process. */
  start: number;
  /** Exited and waiting to be reaped: it runs nothing and cannot be signalled away. */
  zombie: boolean;
}

/** One process's entry, or undefined when it is gone (or /proc is unavailable). */
export function readProcess(pid: number): ProcessEntry | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const number = (index: number) => Number(fields[index]);
  return { pid, ppid: number(1), pgid: number(2), sid: number(3), start: number(19), zombie: fields[0] === 'Z' || fields[0] === 'X' };
}

/** Every process visible in /proc, by pid. */
export function readProcessTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProcess(Number(name));
    if (entry) table.set(entry.pid, entry);
  }
  return table;
}

/** Whether the process's environment (as it was when it started its program) holds `assignment` (`NAME=value`). */
export function environHas(pid: number, assignment: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(assignment);
  } catch {
    return false;
  }
}
