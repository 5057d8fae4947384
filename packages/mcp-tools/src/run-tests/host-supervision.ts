// Supervises an unsandboxed command (only with --allow-unsandboxed-tests): its processes are
// found through /proc (process-tracker.ts), signalled at the time limit, and killed until none is
// left when the command ends. Weaker than the sandbox: see the tracker for what can escape.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readProcess } from './process-table.ts';
import { ProcessTracker } from './process-tracker.ts';
import { notReaped, type Supervision } from './supervision.ts';

/** The environment variable that marks every process of one unsandboxed run. */
export const RUN_MARKER_NAME = 'BATON_TEST_RUN';

export interface HostSupervisionOptions {
  /** How often the process tree is recorded while the command runs. */
  scanIntervalMs?: number;
  /** How long kill() keeps finding and killing before it gives up and says so. */
  killDeadlineMs?: number;
}

export function hostSupervision(options: HostSupervisionOptions = {}): Supervision {
  const marker = randomBytes(16).toString('hex');
  let child: ChildProcess | undefined;
  let tracker: ProcessTracker | undefined;
  let interval: NodeJS.Timeout | undefined;

  const signalAll = (signal: NodeJS.Signals, found: readonly { pid: number }[]) => {
    if (child && notReaped(child)) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // The group is empty.
      }
    }
    for (const { pid } of found) {
      try {
        process.kill(pid, signal);
      } catch {
        // Gone meanwhile.
      }
    }
  };

  return {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { [RUN_MARKER_NAME]: marker },
    started(spawned) {
      child = spawned;
      // Read before returning to the event loop: the child cannot have been reaped yet.
      const root = spawned.pid === undefined ? undefined : readProcess(spawned.pid);
      if (!root) return;
      tracker = new ProcessTracker(root, `${RUN_MARKER_NAME}=${marker}`);
      interval = setInterval(() => tracker?.scan({ readEnvironments: false }), options.scanIntervalMs ?? 250);
      interval.unref();
    },
    terminate() {
      signalAll('SIGTERM', tracker?.scan({ readEnvironments: true }) ?? []);
    },
    async kill() {
      clearInterval(interval);
      const deadline = Date.now() + (options.killDeadlineMs ?? 5_000);
      for (;;) {
        const found = tracker?.scan({ readEnvironments: true }) ?? [];
        signalAll('SIGKILL', found);
        if (found.length === 0) return undefined;
        if (Date.now() > deadline) return `could not stop ${found.length} process(es) the command started (pids ${found.map((p) => p.pid).join(', ')})`;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
