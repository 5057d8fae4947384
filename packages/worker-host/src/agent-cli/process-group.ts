// An agent CLI runs as the leader of its own process group, so baton can stop it together with
// everything it started: SIGTERM to the group, SIGKILL to whatever is left after a grace period.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface GroupProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves when the leader has exited and its output streams have closed. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the whole group (idempotent); resolves once the leader is gone. */
  stop(graceMs: number): Promise<void>;
}

export function spawnGroup(binary: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }): GroupProcess {
  const child = spawn(binary, [...args], { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => ((exited = true), resolve()));
    child.once('error', () => ((exited = true), resolve()));
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  let stopping: Promise<void> | undefined;
  return {
    child,
    closed,
    stop(graceMs) {
      stopping ??= (async () => {
        if (!exited) {
          signalGroup('SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([exit, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
          clearTimeout(timer);
        }
        // Whatever the leader left behind in its group goes too.
        signalGroup('SIGKILL');
        await exit;
      })();
      return stopping;
    },
  };
}
