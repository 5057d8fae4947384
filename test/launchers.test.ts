// The launchers in node_modules/.bin run Node in their own process (exec), so a signal to the
// pid a supervisor, `timeout` or `kill` holds reaches Node itself: after SIGTERM nothing is left,
// not even a Node process holding the launcher's stdout.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@baton/mcp-tools/testing';
import { REPO_ROOT } from './helpers/run-cli.ts';

const bin = path.join(REPO_ROOT, 'node_modules', '.bin');
let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'baton-launchers-'));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe.runIf(process.platform === 'linux' && existsSync(path.join(bin, 'node')))('launchers in node_modules/.bin', () => {
  // The Node binary the launchers are meant to run, as the kernel names it.
  const node = () => spawnSync(path.join(bin, 'node'), ['-p', 'process.execPath'], { encoding: 'utf8' }).stdout.trim();

  it.each([
    ['baton-tools', ['--root', '.']],
    ['baton', ['tools', '--root', '.']],
    ['node', ['-e', 'setInterval(() => {}, 1000)']],
  ])('%s is Node itself, and SIGTERM to its pid leaves nothing running', async (launcher, args) => {
    const expected = node();
    expect(expected).toMatch(/node$/);
    // stdin stays open: the MCP servers wait on it.
    const child = spawn(path.join(bin, launcher), args, { cwd: workspace, stdio: ['pipe', 'pipe', 'pipe'] });
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.stdout.resume();
    child.stderr.resume();
    try {
      await waitFor(() => exeOf(child.pid!) === expected, `pid ${child.pid} to be ${expected} (it is ${exeOf(child.pid!)})`);
      child.kill('SIGTERM');
      // 'close' means every holder of its stdout and stderr is gone: no Node left behind the shell.
      let done = false;
      void closed.then(() => (done = true));
      await waitFor(() => done, `${launcher} and everything it started to exit after SIGTERM`);
    } finally {
      // Should the launcher be a shell that started Node as a child, do not leave that Node behind.
      for (const pid of childrenOf(child.pid!)) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
      child.stdin.end();
    }
  });
});
