// runProcess without a sandbox (what --allow-unsandboxed-tests runs): the time limit holds and
// nothing the command started lives on, whatever its children do (leave the session, keep stdout
// open, ignore SIGTERM, double-fork away from their parent, drop the run's marker while still a
// descendant); and processes the command did not start are never touched.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beats, growthWhileControlBeats, HEARTBEAT_SCRIPT, waitForBeats } from '../testing/heartbeat.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { hostSupervision } from './host-supervision.ts';
import { runProcess } from './run-process.ts';

let dir: TempRepo;
beforeAll(async () => {
  dir = await makeTempRepo({
    'heartbeat.mjs': HEARTBEAT_SCRIPT,
    // argv: <beat file> <how the child is started> <what the parent does once the child beats>
    'parent.mjs': `import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
const [beat, how, then] = process.argv.slice(2);
const options = {
  'setsid-stdout': { detached: true, stdio: ['ignore', 'inherit', 'inherit'] },
  'setsid-no-marker': { detached: true, stdio: ['ignore', 'inherit', 'inherit'], env: { PATH: process.env.PATH } },
  'plain': { stdio: 'ignore' },
}[how];
if (how === 'double-fork') {
  // The middle process starts the heartbeat in a session of its own, with no stdio, and exits.
  const middle = "import { spawn } from 'node:child_process'; spawn(process.execPath, ['heartbeat.mjs', process.argv[1]], { detached: true, stdio: 'ignore' }).unref();";
  spawn(process.execPath, ['--input-type=module', '-e', middle, beat], { stdio: 'ignore' });
} else {
  spawn(process.execPath, ['heartbeat.mjs', beat], options).unref();
}
const started = setInterval(() => {
  if (!existsSync(beat)) return;
  clearInterval(started);
  console.log('parent saw the heartbeat');
  if (then === 'exit') process.exit(0);
  setInterval(() => {}, 1000);
}, 5);
`,
  });
});
afterAll(() => dir.cleanup());

let runs = 0;

function run(how: string, then: 'exit' | 'hang', limits: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  const beat = path.join(dir.root, `beat-${++runs}.txt`);
  const result = runProcess({
    argv: [process.execPath, 'parent.mjs', beat, how, then],
    cwd: dir.root,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    timeoutMs: limits.timeoutMs ?? 600_000,
    maxOutputBytes: 10_000,
    signal: limits.signal ?? new AbortController().signal,
    graceMs: 500,
    supervision: hostSupervision(),
  });
  return { beat, result };
}

describe('runProcess without a sandbox', () => {
  it('returns when the command exits although a child in its own session holds stdout, and kills that child', async () => {
    const { beat, result } = run('setsid-stdout', 'exit');
    const out = await result;
    expect(out).toMatchObject({ exitCode: 0, timedOut: false });
    expect(out.output).toContain('parent saw the heartbeat');
    expect(beats(beat)).toBeGreaterThan(0);
    expect(await growthWhileControlBeats(beat)).toBe(0);
  }, 30_000);

  it('holds the time limit when that child ignores SIGTERM and the command hangs', async () => {
    const { beat, result } = run('setsid-stdout', 'hang', { timeoutMs: 1_000 });
    const out = await result;
    expect(out.timedOut).toBe(true);
    expect(await growthWhileControlBeats(beat)).toBe(0);
  }, 30_000);

  it('kills a double-forked daemon that holds no stdio and has left the process tree', async () => {
    const { beat, result } = run('double-fork', 'exit');
    expect((await result).exitCode).toBe(0);
    expect(await growthWhileControlBeats(beat)).toBe(0);
  }, 30_000);

  it('kills a child that dropped the run\'s marker while it is still a descendant', async () => {
    const { beat, result } = run('setsid-no-marker', 'hang', { timeoutMs: 1_000 });
    expect((await result).timedOut).toBe(true);
    expect(await growthWhileControlBeats(beat)).toBe(0);
  }, 30_000);

  it('stops everything on abort', async () => {
    const controller = new AbortController();
    const { beat, result } = run('plain', 'hang', { signal: controller.signal });
    await waitForBeats(beat, 3);
    controller.abort();
    expect((await result).cancelled).toBe(true);
    expect(await growthWhileControlBeats(beat)).toBe(0);
  }, 30_000);

  it('never touches a process the command did not start, even one started during the run', async () => {
    const bystanderBeat = path.join(dir.root, 'bystander.txt');
    const { beat, result } = run('setsid-stdout', 'hang', { timeoutMs: 3_000 });
    await waitForBeats(beat, 1);
    const bystander = spawn(process.execPath, ['heartbeat.mjs', bystanderBeat], { cwd: dir.root, stdio: 'ignore' });
    try {
      await waitForBeats(bystanderBeat, 1);
      expect((await result).timedOut).toBe(true);
      expect(await growthWhileControlBeats(beat)).toBe(0);
      expect(await growthWhileControlBeats(bystanderBeat)).toBeGreaterThan(0);
    } finally {
      bystander.kill('SIGKILL');
    }
  }, 30_000);
});
