// Nothing run_tests starts outlives the process that started it: a process that calls run_tests
// is SIGKILLed right after it spawned bwrap (before bwrap could arm anything), or while the test
// runs, and every process of that run (bwrap, PID 1 of the sandbox, the command and its children)
// must be gone soon after. Processes are found by their command lines, which name the run's
// temporary workspace; liveness of the command is a heartbeat file.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { growthWhileControlBeats, HEARTBEAT_SCRIPT, waitFor, waitForBeats } from '../testing/heartbeat.ts';
import { GrantSchema } from '../grant.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { runTestsTool } from '../tools/run-tests.ts';
import { sandboxStatus } from './sandbox.ts';

// Calls run_tests in process, as baton-tools and the orchestrator do; `at-spawn` SIGKILLs itself
// as soon as the command has been spawned (the next tick after spawn() returns).
const HARNESS = `const [toolUrl, grantUrl, root, beat, when] = process.argv.slice(2);
const { runTestsTool } = await import(toolUrl);
const { GrantSchema } = await import(grantUrl);
const grant = GrantSchema.parse({ tools: ['run_tests'], tests: { hang: { argv: [process.execPath, 'heartbeat.mjs', beat] } } });
const log = (activity) => {
  if (activity.type === 'process.started' && when === 'at-spawn') process.nextTick(() => process.kill(process.pid, 'SIGKILL'));
};
await runTestsTool.run({ suite: 'hang' }, { grant, root, signal: new AbortController().signal, log });
`;

let repo: TempRepo;
beforeAll(async () => {
  repo = await makeTempRepo({ 'heartbeat.mjs': HEARTBEAT_SCRIPT });
  await writeFile(path.join(repo.outside, 'harness.mjs'), HARNESS);
});
afterAll(() => repo.cleanup());

/** Host processes whose command line names `text` (zombies have none). */
function processesNaming(text: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) found.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

let runs = 0;

/** A fresh workspace (its path names every process of the run) with the heartbeat script. */
async function workspace(): Promise<{ root: string; beat: string }> {
  const root = path.join(repo.root, `run-${++runs}`);
  await mkdir(root);
  await copyFile(path.join(repo.root, 'heartbeat.mjs'), path.join(root, 'heartbeat.mjs'));
  return { root, beat: path.join(root, 'beat.txt') };
}

async function expectAllGone(root: string, beat: string): Promise<void> {
  await waitFor(() => processesNaming(root).length === 0, `every process of the run in ${root} to be gone`, 15_000);
  expect(await growthWhileControlBeats(beat)).toBe(0);
}

async function killCaller(when: 'at-spawn' | 'while-running') {
  const { root, beat } = await workspace();
  const here = path.dirname(fileURLToPath(import.meta.url));
  const caller = spawn(
    process.execPath,
    [path.join(repo.outside, 'harness.mjs'), pathToFileURL(path.join(here, '..', 'tools', 'run-tests.ts')).href, pathToFileURL(path.join(here, '..', 'grant.ts')).href, root, beat, when],
    { stdio: 'ignore' },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) => caller.once('exit', (_code, signal) => resolve(signal)));
  if (when === 'while-running') {
    await waitForBeats(beat, 3);
    caller.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
  await expectAllGone(root, beat);
}

describe.runIf(sandboxStatus().available)('a sandboxed run_tests whose caller is SIGKILLed', () => {
  it('ends when the caller dies right after spawning bwrap', async () => {
    for (let i = 0; i < 5; i++) await killCaller('at-spawn');
  });

  it('ends when the caller dies while the test runs', async () => {
    await killCaller('while-running');
  });
});

describe.runIf(sandboxStatus().available)('a sandboxed run_tests cancelled or timed out at once', () => {
  it('leaves nothing when cancelled right after bwrap was spawned, while it sets up', async () => {
    for (let i = 0; i < 5; i++) {
      const { root, beat } = await workspace();
      const grant = GrantSchema.parse({ tools: ['run_tests'], tests: { hang: { argv: [process.execPath, 'heartbeat.mjs', beat] } } });
      const controller = new AbortController();
      const log = (activity: { type: string }) => {
        if (activity.type === 'process.started') process.nextTick(() => controller.abort());
      };
      const out = await runTestsTool.run({ suite: 'hang' }, { grant, root, signal: controller.signal, log });
      expect(out['status']).toBe('cancelled');
      await expectAllGone(root, beat);
    }
  });
});
