// The processes below a pid and how much memory they hold, read from /proc (Linux). Used by the
// memory watchdog, which needs no cgroup: it sums resident memory over the server's whole tree.
import { readdirSync, readFileSync } from 'node:fs';

/** `pid` and every descendant still running (through /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const seen = new Set<number>();
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    for (const child of childrenOf(next)) pending.push(child);
  }
  return [...seen];
}

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const task of tasks) {
    try {
      for (const word of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ')) {
        const child = Number(word);
        if (Number.isInteger(child) && child > 0) children.push(child);
      }
    } catch {
      // The task ended meanwhile.
    }
  }
  return children;
}

/** Resident memory of one process in bytes (VmRSS), or 0 when it is gone. */
export function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of a set of processes, in bytes. */
export function totalResidentBytes(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += residentBytes(pid);
  return total;
}

/** CPU time (user + system, in clock ticks) a set of processes has used, for telling busy from stuck. */
export function cpuTicks(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at ") "; utime and stime are the 12th and 13th of them.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  return total;
}
