// baton cancel on a live run: the running process is told to stop, its workers are cancelled,
// and the run ends recorded as cancelled (exit 130) with the user's checkout untouched.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { loadScript } from '@baton/worker-host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, userStateFingerprint, type TestGitRepo } from './helpers/git-repo.ts';
import { BATON_BIN, REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
let repo: TestGitRepo;
let slowWorker: string;

beforeAll(async () => {
  repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
  const script = (await loadScript(path.join(fixture, 'worker.yaml'))) as { by_task: Record<string, Record<string, unknown>[]> };
  for (const turns of Object.values(script.by_task)) for (const turn of turns) turn['delay_ms'] = 60_000;
  slowWorker = path.join(repo.dir, '..', 'slow.json');
  await writeFile(slowWorker, JSON.stringify(script));
});
afterAll(() => repo.cleanup());

const started = (): boolean => {
  try {
    const db = new DatabaseSync(path.join(repo.dir, '.git', 'baton', 'state.db'), { readOnly: true });
    try {
      return db.prepare("SELECT 1 AS x FROM events WHERE run_id = 'c' AND type = 'task_started'").get() !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
};

describe('baton cancel', () => {
  it('stops a live run, which records itself cancelled', async () => {
    const before = await userStateFingerprint(repo.dir);
    const child = spawn(process.execPath, [BATON_BIN, 'run', 'Add a farewell function', '--repo', repo.dir, '--yes', '--run-id', 'c', '--planner', `scripted:${path.join(fixture, 'planner.yaml')}`, '--worker', `scripted:${slowWorker}`, '--reviewer', `scripted:${path.join(fixture, 'reviewer.yaml')}`], { stdio: 'ignore', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // The run is another process: its progress is read back from the store, with a deadline.
    const deadline = Date.now() + 30_000;
    while (!started() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(started()).toBe(true);
    const cancel = await runBaton(['cancel', 'c', '--repo', repo.dir]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(await exited).toBe(130);
    const status = JSON.parse((await runBaton(['status', 'c', '--json', '--repo', repo.dir])).stdout) as { outcome: string };
    expect(status.outcome).toBe('cancelled');
    expect(await userStateFingerprint(repo.dir)).toBe(before);
  });
});
