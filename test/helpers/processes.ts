// The processes still running that belong to a test's temp directory: any whose command line
// names a path in it or whose working directory is in it (git, workers' sandboxes, test
// commands, tool servers). Read from /proc (Linux); zombies have neither and do not count.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

export interface ProcessInfo {
  pid: number;
  command: string;
  cwd: string;
}

export function processesUsing(dir: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let command: string;
    let cwd: string;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone, or a zombie
    }
    if (command.includes(dir) || cwd === dir || cwd.startsWith(dir + path.sep)) found.push({ pid, command, cwd });
  }
  return found;
}

/** Waits (polling, with a deadline) until no process uses `dir`; returns those still there at the deadline. */
export async function survivorsAfter(dir: string, deadlineMs = 10_000): Promise<ProcessInfo[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const left = processesUsing(dir);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
