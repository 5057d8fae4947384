// How run-process stops what a command started. The sandboxed way hands the job to the kernel
// (PID 1 of the sandbox's namespace, kept alive by a lifeline); the unsandboxed way tracks the
// command's processes through /proc.
import type { ChildProcess, StdioOptions } from 'node:child_process';

export interface Supervision {
  /** stdio for spawn: what the supervision needs besides stdout (1) and stderr (2) as pipes. */
  readonly stdio: StdioOptions;
  /** Variables added to the command's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Called right after spawn, with the child (pid set). */
  started(child: ChildProcess): void;
  /** Asks everything the command started to stop (SIGTERM); kill() follows after a grace period. */
  terminate(): void;
  /** Ends everything the command started; resolves with a note when something could not be ended. */
  kill(): Promise<string | undefined>;
}

/** Whether the child has not been reaped yet, so its pid (and group id) cannot name another process. */
export function notReaped(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}
