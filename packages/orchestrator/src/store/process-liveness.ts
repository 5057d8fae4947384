// Is the process that holds a run lock still alive? A pid alone is not enough: pids are
// reused, and a killed child stays a zombie until reaped, so on Linux the start time and
// state from /proc are checked as well.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Start time in clock ticks since boot (Linux), to tell a reused pid from the original. */
  startTicks?: string;
}

interface ProcStat {
  state: string;
  startTicks: string;
}

function readProcStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const state = rest[0];
    const startTicks = rest[19];
    return state && startTicks ? { state, startTicks } : undefined;
  } catch {
    return undefined;
  }
}

/** This machine's name as baton records it: BATON_HOSTNAME when set (containers, tests that play another host), else the host name. */
export function hostName(): string {
  return process.env['BATON_HOSTNAME'] || hostname();
}

export function currentProcessIdentity(): ProcessIdentity {
  const stat = readProcStat(process.pid);
  return { pid: process.pid, host: hostName(), ...(stat ? { startTicks: stat.startTicks } : {}) };
}

export type Liveness = 'alive' | 'dead' | 'unknown';

/** 'unknown' when the holder is on another host: baton cannot see its processes. */
export function processLiveness(holder: ProcessIdentity): Liveness {
  if (holder.host !== hostName()) return 'unknown';
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'dead';
    if (code !== 'EPERM') return 'unknown';
  }
  const stat = readProcStat(holder.pid);
  if (!stat) return process.platform === 'linux' ? 'dead' : 'alive';
  if (stat.state === 'Z' || stat.state === 'X') return 'dead';
  if (holder.startTicks !== undefined && stat.startTicks !== holder.startTicks) return 'dead';
  return 'alive';
}
