// Kills `baton run` / `baton resume` at a chosen step, for the crash tests: the process group
// gets SIGKILL once baton is where the test said (a named pause point, a git frozen inside a ref
// transaction, an event in the store, or a process running), and no process may outlive it.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { makeGitPause, waitForFile, type GitPauseMatch } from '@baton/orchestrator/testing';
import { expect } from 'vitest';
import type { TestGitRepo } from './git-repo.ts';
import { processesUsing, survivorsAfter, type ProcessInfo } from './processes.ts';
import { BATON_BIN } from './run-cli.ts';
import { sqliteStore, type StoreUnderTest } from './store-under-test.ts';

export { readStore, storeFile } from './store-under-test.ts';

export interface LoggedEvent {
  type: string;
  taskId?: string | undefined;
  status?: string | undefined;
  decision?: string | undefined;
}

/** Where to kill a process, and how the test knows it got there. */
export type KillAt =
  | { pause: string }
  | { git: GitPauseMatch; whileFrozen?: (repo: string) => void }
  | { event: (event: LoggedEvent) => boolean }
  | { process: (p: ProcessInfo, repo: string) => boolean };

export interface KillCase {
  name: string;
  /** The first kill hits `baton run`; each later one the `baton resume` after it. */
  kills: KillAt[];
}

/** The run's events as `store` holds them: the repository's SQLite file unless another store is given. */
export async function loggedEvents(repo: string, runId: string, store: StoreUnderTest = sqliteStore(repo)): Promise<LoggedEvent[]> {
  return store.events(runId);
}

/**
 * Starts `baton <args>` in its own process group, waits until it is where `kill` says, and SIGKILLs
 * the group. `store` is where an event kill point is looked for (the args must name it too).
 */
export async function runAndKill(repo: TestGitRepo, args: string[], kill: KillAt, runId: string, store: StoreUnderTest = sqliteStore(repo.dir)): Promise<void> {
  const scratch = mkdtempSync(path.join(path.dirname(repo.dir), 'kill-'));
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', NO_COLOR: '1' };
  let reached: () => Promise<void>;
  if ('pause' in kill) {
    const ready = path.join(scratch, 'paused');
    Object.assign(env, { BATON_TEST_PAUSE_AT: kill.pause, BATON_TEST_PAUSE_READY: ready });
    reached = () => waitForFile(ready);
  } else if ('git' in kill) {
    const pause = makeGitPause({ dir: scratch, match: kill.git });
    env['PATH'] = `${pause.binDir}${path.delimiter}${env['PATH']}`;
    reached = () => pause.paused();
  } else {
    const found = 'event' in kill ? async () => (await store.events(runId).catch(() => [])).some(kill.event) : async () => processesUsing(repo.dir).some((p) => kill.process(p, repo.dir));
    reached = async () => {
      const deadline = Date.now() + 60_000;
      while (!(await found())) {
        if (Date.now() > deadline) throw new Error('the kill point was not reached within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
  }
  const child = spawn(process.execPath, [BATON_BIN, ...args], { env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => ((exitCode = code), resolve())));
  await Promise.race([reached(), exited]);
  if (exitCode !== undefined) throw new Error(`baton ${args[0]} exited (${exitCode}) before reaching the kill point: ${stderr}`);
  if ('git' in kill) kill.whileFrozen?.(repo.dir);
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  expect(await survivorsAfter(repo.dir), 'processes outlived the SIGKILL of the run').toEqual([]);
}
