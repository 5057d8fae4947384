// Starts one server process in a process group of its own, with stdio pipes, and keeps the end
// of its stderr for error messages. Both launchers use it; they differ only in the argv.
import { spawn } from 'node:child_process';
import type { ServerExit, ServerProcess } from './server-process.ts';
import { processTree } from './process-tree.ts';

const STDERR_TAIL_BYTES = 2_000;

export function spawnServer(options: { argv: readonly string[]; env: Record<string, string>; cwd: string }): ServerProcess {
  const [command, ...args] = options.argv;
  const child = spawn(command!, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = Buffer.alloc(0);
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = Buffer.concat([stderr, chunk]);
    if (stderr.length > STDERR_TAIL_BYTES * 2) stderr = stderr.subarray(stderr.length - STDERR_TAIL_BYTES);
  });
  // A server that dies mid-write must not take baton down with an EPIPE.
  child.stdin.on('error', () => {});
  child.stdout.on('error', () => {});
  let spawnError: string | undefined;
  const exited = new Promise<ServerExit>((resolve) => {
    child.once('error', (error) => {
      spawnError = error.message;
      if (child.pid === undefined) resolve({ code: null, signal: null, stderrTail: `could not start ${command}: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      killGroup(child.pid);
      const tail = stderr.subarray(Math.max(0, stderr.length - STDERR_TAIL_BYTES)).toString('utf8');
      resolve({ code, signal, stderrTail: spawnError ? `could not start ${command}: ${spawnError}\n${tail}` : tail });
    });
  });
  return {
    pid: child.pid,
    stdin: child.stdin,
    stdout: child.stdout,
    exited,
    processIds: () => (child.pid === undefined || child.exitCode !== null || child.signalCode !== null ? [] : processTree(child.pid)),
    kill: () => {
      // The group first (everything that stayed in it), then anything that left it for a session of its own.
      const tree = child.pid === undefined ? [] : processTree(child.pid);
      killGroup(child.pid);
      for (const pid of tree) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    },
  };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone.
  }
}
