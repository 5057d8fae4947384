// Supervises a bwrap started by sandboxedArgv. Its stdin is the lifeline to PID 1 of the sandbox
// (sandbox-init.cjs): only this process holds the other end, so when this process exits for any
// reason, SIGKILL included, PID 1 reads EOF and exits, and the kernel ends every process in the
// namespace; bwrap exits with it. To stop the sandbox itself (time limit, cancel), this process
// closes the lifeline and also SIGKILLs PID 1 from outside, which nothing inside can block, using
// the pid bwrap reports on --info-fd (written to a file of ours outside the sandbox's view: a pipe
// would SIGPIPE bwrap if we were gone before it wrote).
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { readProcess } from './process-table.ts';
import { SANDBOX_INFO_FD } from './sandbox.ts';
import { notReaped, type Supervision } from './supervision.ts';

/** How long bwrap gets to exit once the sandbox is ended, before it is killed itself. */
const BWRAP_EXIT_MS = 5_000;

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function sandboxSupervision(): Supervision {
  const infoDir = mkdtempSync(path.join(os.tmpdir(), 'baton-sandbox-info-'));
  const infoFile = path.join(infoDir, 'info.json');
  let infoFd: number | undefined = openSync(infoFile, 'w', 0o600);
  let child: ChildProcess | undefined;
  const lifeline = () => child?.stdin as Writable | null | undefined;
  const closeInfo = () => {
    if (infoFd !== undefined) closeSync(infoFd);
    infoFd = undefined;
  };
  const stdio = ['pipe', 'pipe', 'pipe'] as ('pipe' | number)[];
  stdio[SANDBOX_INFO_FD] = infoFd;

  /** PID 1 as this process sees it, if bwrap has said and it is still bwrap's child. */
  const sandboxInit = (): number | undefined => {
    if (!child?.pid) return undefined;
    let pid: unknown;
    try {
      pid = (JSON.parse(readFileSync(infoFile, 'utf8')) as Record<string, unknown>)['child-pid'];
    } catch {
      return undefined; // not written yet
    }
    if (typeof pid !== 'number') return undefined;
    return readProcess(pid)?.ppid === child.pid ? pid : undefined;
  };

  return {
    stdio,
    env: {},
    started(spawned) {
      child = spawned;
      closeInfo();
      lifeline()?.on('error', () => {
        // The sandbox is gone; nothing to tell it.
      });
    },
    terminate() {
      const line = lifeline();
      if (line?.writable) line.write('t');
    },
    async kill() {
      closeInfo();
      lifeline()?.destroy();
      let note: string | undefined;
      if (child && notReaped(child)) {
        const running = child;
        const init = sandboxInit();
        if (init !== undefined) signal(init);
        // bwrap itself is never killed while it may be setting up: its child would wait forever for
        // a go-ahead. Without PID 1's pid, the closed lifeline ends PID 1 as soon as it starts.
        const exited = await new Promise<boolean>((resolve) => {
          if (!notReaped(running)) return resolve(true);
          const timer = setTimeout(() => resolve(false), BWRAP_EXIT_MS);
          running.once('exit', () => {
            clearTimeout(timer);
            resolve(true);
          });
        });
        if (!exited) {
          note = `bwrap did not exit ${BWRAP_EXIT_MS / 1000} s after the sandbox was ended; killed it`;
          signal(-running.pid!);
        }
      }
      rmSync(infoDir, { recursive: true, force: true });
      return note;
    },
  };
}
