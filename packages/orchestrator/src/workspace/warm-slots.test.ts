// Warm worktrees on a real repository: a slot taken again rewrites only the files that differ;
// nothing a previous task left is visible to the next (modified, deleted, untracked and ignored
// files, nested repositories, a staged index, a stash's files, per-worktree refs and config, a
// reflog, ORIG_HEAD, a half-done cherry-pick); one holder per slot across processes, released
// by the kernel when the holder is SIGKILLed; a slot a killed process left dirty (or half-made)
// is repaired; and a slot given back beyond `keep` is deleted with git's entry for it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git, gitOut } from '../git/run-git.ts';
import { makeGitPause } from '../testing/git-pause.ts';
import { warmWorktreesDir } from './baton-paths.ts';
import { addRunWorktree, removeRunWorktree, removeRunWorktrees } from './run-worktrees.ts';
import { removeWarmSlots, type WarmPolicy } from './warm-slots.ts';

let base: string;
let repo: string;
let first: string;
let second: string;
const warm: WarmPolicy = { use: true, keep: 4 };
const here = path.dirname(fileURLToPath(import.meta.url));

beforeEach(async () => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-warm-')));
  repo = path.join(base, 'repo');
  mkdirSync(path.join(repo, 'src'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(path.join(repo, 'src', `f${i}.txt`), `file ${i}\n`);
  writeFileSync(path.join(repo, '.gitignore'), 'build/\n*.log\n');
  await git(['init', '-q', '-b', 'main'], { cwd: repo });
  await git(['add', '-A'], { cwd: repo });
  await git(['commit', '-q', '-m', 'first'], { cwd: repo });
  first = await gitOut(['rev-parse', 'HEAD'], { cwd: repo });
  writeFileSync(path.join(repo, 'src', 'f1.txt'), 'file 1, changed\n');
  rmSync(path.join(repo, 'src', 'f2.txt'));
  writeFileSync(path.join(repo, 'src', 'new.txt'), 'new\n');
  await git(['add', '-A'], { cwd: repo });
  await git(['commit', '-q', '-m', 'second'], { cwd: repo });
  second = await gitOut(['rev-parse', 'HEAD'], { cwd: repo });
});
afterEach(async () => {
  await removeRunWorktrees({ repo, runId: 'r' }).catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
});

const commonDir = () => path.join(repo, '.git');
const take = (leaf: string, start: Parameters<typeof addRunWorktree>[0]['start']) => addRunWorktree({ repo, runId: 'r', leaf, start, warm });
const inode = (file: string) => statSync(file).ino;

/** Every file under `dir` but .git, with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(dir, path.join(entry.parentPath, entry.name));
    if (rel === '.git' || rel.startsWith('.git/')) continue;
    out[rel] = entry.isFile() ? readFileSync(path.join(dir, rel), 'utf8') : entry.isSymbolicLink() ? 'symlink' : 'dir';
  }
  return out;
}

async function committedTree(commit: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of (await gitOut(['ls-tree', '-r', '--name-only', commit], { cwd: repo })).split('\n')) {
    out[file] = (await git(['show', `${commit}:${file}`], { cwd: repo })).stdout;
    for (let dir = path.dirname(file); dir !== '.'; dir = path.dirname(dir)) out[dir] = 'dir';
  }
  return out;
}

async function adminOf(dir: string): Promise<string> {
  return path.resolve(dir, await gitOut(['rev-parse', '--git-dir'], { cwd: dir }));
}

describe('warm worktrees', () => {
  it('hands a slot back out at another commit, rewriting only the files that differ', async () => {
    const dir = await take('t-1', { kind: 'detached', commit: first });
    expect(dir).toBe(path.join(warmWorktreesDir(commonDir()), '1-warm'));
    expect(tree(dir)).toEqual(await committedTree(first));
    const untouched = inode(path.join(dir, 'src', 'f3.txt'));
    await removeRunWorktree({ repo, dir });

    const again = await take('t-2', { kind: 'reset-branch', branch: 'baton-tasks/r/t', commit: second });
    expect(again).toBe(dir);
    expect(tree(again)).toEqual(await committedTree(second));
    expect(await gitOut(['symbolic-ref', 'HEAD'], { cwd: again })).toBe('refs/heads/baton-tasks/r/t');
    expect(inode(path.join(again, 'src', 'f3.txt')), 'an unchanged file was rewritten').toBe(untouched);
    await removeRunWorktree({ repo, dir: again });
    // Given back, it holds no branch: the task branch can be deleted like any other.
    expect((await git(['rev-parse', '--verify', '-q', '--symbolic-full-name', 'HEAD'], { cwd: again, allowFailure: true })).stdout.trim()).toBe('HEAD');
    await git(['branch', '-D', 'baton-tasks/r/t'], { cwd: repo });
  });

  it('shows the next task nothing of the previous one', async () => {
    const dir = await take('t-1', { kind: 'reset-branch', branch: 'baton-tasks/r/t', commit: second });
    const admin = await adminOf(dir);
    // Everything a task, its tests or a git command in its checkout could leave behind.
    writeFileSync(path.join(dir, 'src', 'f1.txt'), 'modified by the previous task\n');
    rmSync(path.join(dir, 'src', 'f3.txt'));
    writeFileSync(path.join(dir, 'untracked.txt'), 'left behind\n');
    mkdirSync(path.join(dir, 'build', 'deep'), { recursive: true });
    writeFileSync(path.join(dir, 'build', 'deep', 'out.js'), 'ignored output\n');
    writeFileSync(path.join(dir, 'debug.log'), 'ignored log\n');
    mkdirSync(path.join(dir, 'vendor', 'nested'), { recursive: true });
    await git(['init', '-q'], { cwd: path.join(dir, 'vendor', 'nested') });
    writeFileSync(path.join(dir, 'src', 'f4.txt'), 'staged change\n');
    await git(['add', 'src/f4.txt'], { cwd: dir });
    writeFileSync(path.join(dir, 'src', 'stashed.txt'), 'stashed\n');
    await git(['stash', 'push', '-q', '--include-untracked', '--', 'src/stashed.txt'], { cwd: dir });
    await git(['update-ref', 'refs/worktree/previous', 'HEAD'], { cwd: dir });
    await git(['commit', '-q', '--allow-empty', '-m', 'previous task'], { cwd: dir });
    writeFileSync(path.join(admin, 'config.worktree'), '[core]\n\thooksPath = /tmp/evil\n');
    mkdirSync(path.join(admin, 'hooks'), { recursive: true });
    writeFileSync(path.join(admin, 'hooks', 'post-checkout'), '#!/bin/sh\necho pwned\n');
    writeFileSync(path.join(admin, 'CHERRY_PICK_HEAD'), `${first}\n`);
    writeFileSync(path.join(admin, 'index.lock'), '');
    await removeRunWorktree({ repo, dir });

    // Idle, it already holds nothing of that task.
    expect(await gitOut(['status', '--porcelain', '--ignored', '--untracked-files=all'], { cwd: dir })).toBe('');
    const next = await take('u-1', { kind: 'detached', commit: first });
    expect(next).toBe(dir);
    expect(tree(next)).toEqual(await committedTree(first));
    expect(await gitOut(['status', '--porcelain', '--ignored', '--untracked-files=all'], { cwd: next })).toBe('');
    expect(await gitOut(['diff', '--cached', '--name-only', 'HEAD'], { cwd: next })).toBe('');
    expect(readdirSync(await adminOf(next)).sort()).toEqual(['HEAD', 'commondir', 'gitdir', 'index']);
    expect((await git(['rev-parse', '--verify', '-q', 'refs/worktree/previous'], { cwd: next, allowFailure: true })).stdout).toBe('');
    expect((await git(['reflog', 'HEAD'], { cwd: next, allowFailure: true })).stdout).toBe('');
    // A stash lives in the shared refs/stash (git has no per-worktree stash); its files are not in the slot.
    expect(existsSync(path.join(next, 'src', 'stashed.txt'))).toBe(false);
    await git(['stash', 'drop', '-q'], { cwd: repo });
    await removeRunWorktree({ repo, dir: next });
  });

  it('gives each slot to one holder at a time across processes, frees it when the holder is SIGKILLed, and cleans what the holder left', async () => {
    // A child process takes a slot, dirties it, says so, and waits to be killed.
    const script = `
      import { writeFileSync } from 'node:fs';
      import { addRunWorktree } from ${JSON.stringify(path.join(here, 'run-worktrees.ts'))};
      const dir = await addRunWorktree({ repo: ${JSON.stringify(repo)}, runId: 'other', leaf: 'x-1', start: { kind: 'detached', commit: ${JSON.stringify(second)} }, warm: { use: true, keep: 4 } });
      writeFileSync(dir + '/scratch.txt', 'the killed task was here');
      writeFileSync(${JSON.stringify(path.join(base, 'child-ready'))}, dir);
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const ready = path.join(base, 'child-ready');
    const deadline = Date.now() + 30_000;
    while (!existsSync(ready) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const childDir = readFileSync(ready, 'utf8');

    const mine = await take('t-1', { kind: 'detached', commit: first });
    expect(mine).not.toBe(childDir);
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(`${childDir}.dirty`)).toBe(true);

    // Taken again straight away, without a repair first, it is cleaned as it is handed out.
    const direct = await take('t-2', { kind: 'detached', commit: first });
    expect(direct).toBe(childDir);
    expect(tree(direct)).toEqual(await committedTree(first));
    for (const dir of [mine, direct]) await removeRunWorktree({ repo, dir });
    expect(existsSync(`${childDir}.dirty`)).toBe(false);
  }, 60_000);

  it('repairs a slot whose git reset was killed midway, with its lock and a HEAD on a deleted branch', async () => {
    const dir = await take('t-1', { kind: 'reset-branch', branch: 'baton-tasks/r/t', commit: first });
    await removeRunWorktree({ repo, dir });
    // A process takes the slot (its dirty marker), then its git is killed inside `reset --hard`.
    writeFileSync(`${dir}.dirty`, '{}\n');
    await git(['symbolic-ref', 'HEAD', 'refs/heads/baton-tasks/r/t'], { cwd: dir });
    const pause = makeGitPause({ dir: mkdtempSync(path.join(base, 'pause-')), match: { command: 'reset', gitDir: '*/worktrees/1-warm', ref: 'ORIG_HEAD', values: 'any' } });
    const child = spawn('git', ['-c', `core.hooksPath=${pause.hooksDir}`, 'reset', '--hard', '-q', second], { cwd: dir, detached: true, stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '', HOME: base, BATON_TEST_GIT_COMMAND: 'reset' } });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await pause.paused();
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    expect(readdirSync(await adminOf(dir)).some((name) => name.endsWith('.lock'))).toBe(true);
    await git(['update-ref', '-d', 'refs/heads/baton-tasks/r/t'], { cwd: repo });

    expect(await removeRunWorktrees({ repo, runId: 'r' })).toContain(dir);
    expect(readdirSync(await adminOf(dir)).sort()).toEqual(['HEAD', 'commondir', 'gitdir', 'index']);
    expect(await gitOut(['status', '--porcelain', '--ignored', '--untracked-files=all'], { cwd: dir })).toBe('');
    const again = await take('t-2', { kind: 'detached', commit: second });
    expect(again).toBe(dir);
    expect(tree(again)).toEqual(await committedTree(second));
    await removeRunWorktree({ repo, dir: again });
  }, 60_000);

  it('deletes a slot whose git worktree add was killed, and makes a sound one in its place', async () => {
    const slot = path.join(warmWorktreesDir(commonDir()), '1-warm');
    mkdirSync(path.dirname(slot), { recursive: true });
    writeFileSync(`${slot}.dirty`, '{}\n');
    const pause = makeGitPause({ dir: mkdtempSync(path.join(base, 'pause-')), match: { command: 'worktree', gitDir: '*/worktrees/1-warm', ref: 'HEAD', values: 'any' } });
    const child = spawn('git', ['-c', `core.hooksPath=${pause.hooksDir}`, 'worktree', 'add', '--detach', '--no-checkout', slot, first], { cwd: repo, detached: true, stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '', HOME: base, BATON_TEST_GIT_COMMAND: 'worktree' } });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await pause.paused();
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    expect(readFileSync(path.join(repo, '.git', 'worktrees', '1-warm', 'locked'), 'utf8').trim()).toBe('initializing');

    const dir = await take('t-1', { kind: 'detached', commit: second });
    expect(dir).toBe(slot);
    expect(tree(dir)).toEqual(await committedTree(second));
    expect((await gitOut(['worktree', 'list', '--porcelain'], { cwd: repo })).match(/^worktree /gm)).toHaveLength(2);
    await removeRunWorktree({ repo, dir });
  }, 60_000);

  it('keeps at most `keep` slots, and removing the pool leaves git with no trace of it', async () => {
    const dirs = await Promise.all([1, 2, 3].map((i) => addRunWorktree({ repo, runId: 'r', leaf: `t${i}-1`, start: { kind: 'detached', commit: second }, warm: { use: true, keep: 1 } })));
    expect(new Set(dirs).size).toBe(3);
    for (const dir of dirs) await removeRunWorktree({ repo, dir });
    // The last one given back is the one kept (which slot each got depends on who was first).
    expect(readdirSync(warmWorktreesDir(commonDir()))).toEqual([path.basename(dirs[2]!)]);
    expect(await removeWarmSlots({ commonDir: realpathSync(commonDir()) })).toEqual([dirs[2]]);
    expect(existsSync(warmWorktreesDir(commonDir()))).toBe(false);
    expect((await gitOut(['worktree', 'list', '--porcelain'], { cwd: repo })).match(/^worktree /gm)).toHaveLength(1);
    expect(existsSync(path.join(repo, '.git', 'worktrees')) ? readdirSync(path.join(repo, '.git', 'worktrees')) : []).toEqual([]);
  });

  it('uses fresh worktrees for a small repository when warm is "auto"', async () => {
    const dir = await addRunWorktree({ repo, runId: 'r', leaf: 't-1', start: { kind: 'detached', commit: second }, warm: { use: 'auto', keep: 4 } });
    expect(path.basename(path.dirname(dir))).toBe('r');
    await removeRunWorktree({ repo, dir });
    expect(existsSync(warmWorktreesDir(commonDir()))).toBe(false);
  });
});
