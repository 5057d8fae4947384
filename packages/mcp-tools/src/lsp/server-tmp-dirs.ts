// Private directories of language servers (their HOME and /tmp): named after the process that made
// them, so one left behind by a host that was killed outright (and could not remove it) is removed
// by the next host that starts a server, and never one of a process still running.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'baton-lsp-';
let swept = false;

export function makeServerTmpDir(): string {
  if (!swept) {
    swept = true;
    sweepAbandoned(os.tmpdir());
  }
  return mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
}

/** Removes `baton-lsp-<pid>-*` directories in `dir` whose process is gone. */
export function sweepAbandoned(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^baton-lsp-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
