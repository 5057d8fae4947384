// What the scale-out tests run baton on: a bare git repository served by `git daemon` on
// loopback (stoppable and restartable on its port, for a remote that goes away), worker nodes as
// real `baton node` processes in work dirs of their own, and waiting on a run's events in the
// shared store (pushed by the store, with a deadline), never sleeping.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { RunStore, StoredEvent } from '@baton/orchestrator';
import { BATON_BIN } from './run-cli.ts';

export { makeBareRemote, startGitDaemon, type GitDaemon } from '@baton/orchestrator/testing';

export interface NodeProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  /** SIGKILL of the node's whole process group (its workers, tool hosts and tests with it). */
  kill(): Promise<void>;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

export function startNode(input: { storeUrl: string; name: string; workDir: string; concurrency?: number; env?: Record<string, string> }): NodeProcess {
  mkdirSync(input.workDir, { recursive: true });
  const child = spawn(process.execPath, [BATON_BIN, 'node', '--store', input.storeUrl, '--name', input.name, '--work-dir', input.workDir, '--concurrency', String(input.concurrency ?? 2)], {
    cwd: input.workDir,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', NO_COLOR: '1', ...input.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name: input.name,
    child,
    output: () => out,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resolves with the first event of the run that matches (already stored, or stored later); rejects after the deadline. */
export function waitForEvent(store: RunStore, runId: string, match: (event: StoredEvent) => boolean, deadlineMs = 120_000): Promise<StoredEvent> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (event: StoredEvent | undefined, error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      if (event) resolve(event);
      else reject(error);
    };
    const scan = async () => {
      if (!(await store.hasRun(runId))) return;
      const found = (await store.events(runId)).find(match);
      if (found) finish(found);
    };
    const unsubscribe = store.subscribe(runId, (event) => match(event) && finish(event));
    // The run may not exist yet, and a notice can be missed across a reconnect: the log is read on a timer too.
    const poll = setInterval(() => void scan().catch(() => undefined), 250);
    const timer = setTimeout(() => finish(undefined, new Error(`no matching event in run ${runId} within ${deadlineMs} ms`)), deadlineMs);
    void scan().catch(() => undefined);
  });
}

export interface BatonProcess {
  readonly child: ChildProcess;
  /** Resolves when it exits, with what it printed. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
  /** SIGKILL of its whole process group. */
  kill(): Promise<void>;
}

/** `baton …` as a process group of its own, so a test can kill it and everything it started at once. */
export function spawnBaton(args: string[], options: { cwd: string; env?: Record<string, string> }): BatonProcess {
  const child = spawn(process.execPath, [BATON_BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, output })));
  return {
    child,
    done,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      await done;
    },
  };
}
