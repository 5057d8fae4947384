// Runs one command in its own process group with a time limit and an abort signal. On either,
// the whole group (grandchildren included) gets SIGTERM, then SIGKILL after a grace period.
import { spawn } from 'node:child_process';
import { CappedOutput } from './capped-output.ts';

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  output: string;
  outputBytes: number;
  outputTruncated: boolean;
  /** The command could not be started (e.g. not found). */
  spawnError?: string;
}

export interface RunProcessOptions {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  signal: AbortSignal;
  graceMs?: number;
}

export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const started = Date.now();
  const output = new CappedOutput(options.maxOutputBytes);
  return new Promise((resolve) => {
    const [command, ...args] = options.argv;
    const child = spawn(command!, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    let cancelled = false;
    let spawnError: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), options.graceMs ?? 2_000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (error) => (spawnError = error.message));
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      // Anything the command left running in its group goes with it.
      killGroup('SIGKILL');
      if (killTimer) clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
      resolve({
        exitCode,
        signal,
        timedOut,
        cancelled,
        durationMs: Date.now() - started,
        output: output.text(),
        outputBytes: output.totalBytes,
        outputTruncated: output.truncated,
        ...(spawnError !== undefined ? { spawnError } : {}),
      });
    });
  });
}
