// Runs one command with a time limit and an abort signal, and returns by the limit whatever the
// command's children do (hold stdout open, leave the session, ignore SIGTERM). At the limit or on
// abort, everything the command started gets SIGTERM, then after a grace period the supervision
// kills it all; when the command ends by itself, whatever it left running is killed at once.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { CappedOutput } from './capped-output.ts';
import type { Supervision } from './supervision.ts';

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
  supervision: Supervision;
  /** Between SIGTERM and the kill, at the limit or on abort. */
  graceMs?: number;
  /** How long to wait for the output pipes to close once everything is killed. */
  drainMs?: number;
}

export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const started = Date.now();
  const output = new CappedOutput(options.maxOutputBytes);
  const { supervision } = options;
  const [command, ...args] = options.argv;
  const child: ChildProcess = spawn(command!, args, {
    cwd: options.cwd,
    env: { ...options.env, ...supervision.env },
    detached: true,
    stdio: supervision.stdio,
  });
  if (child.pid !== undefined) supervision.started(child);

  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let spawnError: string | undefined;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const streams = [child.stdout, child.stderr].filter((s): s is Readable => s !== null);
    const drained = Promise.all(streams.map((s) => new Promise<void>((done) => (s.closed ? done() : s.once('close', () => done())))));
    for (const stream of streams) stream.on('data', (chunk: Buffer) => output.push(chunk));

    const settle = async () => {
      if (settled) return;
      settled = true;
      clearTimeout(limitTimer);
      clearTimeout(graceTimer);
      options.signal.removeEventListener('abort', onAbort);
      const notes: string[] = [];
      const note = await supervision.kill();
      if (note) notes.push(note);
      if (child.pid !== undefined && !(await within(exited, 5_000))) notes.push('the command did not exit after SIGKILL');
      if (!(await within(drained, options.drainMs ?? 2_000))) {
        notes.push('a process the command started still held its output open; stopped reading it');
        for (const stream of streams) stream.destroy();
      }
      for (const stream of child.stdio) stream?.destroy();
      const text = output.text();
      resolve({
        exitCode: child.exitCode,
        signal: child.signalCode,
        timedOut,
        cancelled,
        durationMs: Date.now() - started,
        output: notes.length ? `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}[baton: ${notes.join('; ')}]\n` : text,
        outputBytes: output.totalBytes,
        outputTruncated: output.truncated,
        ...(spawnError !== undefined ? { spawnError } : {}),
      });
    };
    const stop = () => {
      if (settled || graceTimer) return;
      supervision.terminate();
      graceTimer = setTimeout(() => void settle(), options.graceMs ?? 2_000);
    };
    const limitTimer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      spawnError = error.message;
      if (child.pid === undefined) void settle();
    });
    child.once('exit', () => void settle());
  });
}

function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]).finally(() => clearTimeout(timer));
}
