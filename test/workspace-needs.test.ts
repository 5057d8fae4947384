// What tests need in a task workspace, through the real CLI with scripted models: a Python
// repository whose tests run with its virtualenv, read a .env.test and import generated code,
// and a pnpm workspace whose nested package imports a sibling and a dependency through its own
// node_modules. Each passes in the user's checkout, fails in a bare task workspace (tracked
// files only), and passes with the `workspace` settings (links, copies, setup) in warm
// worktrees. The user's checkout (virtualenv and node_modules included) stays byte-identical,
// nothing provided reaches a commit, and the warm worktrees hold nothing of the run afterwards.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sandboxStatus } from '@baton/mcp-tools';
import { afterAll, describe, expect, it } from 'vitest';
import { gitSync, makeGitRepo, userStateFingerprint, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const PYTHON = '/usr/bin/python3';
const PNPM = path.join(REPO_ROOT, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
const hasPython = spawnSync(PYTHON, ['-c', 'import venv, pytest'], { stdio: 'ignore' }).status === 0;
const hasPnpm = existsSync(PNPM);
const sandboxed = sandboxStatus().available;
const repos: TestGitRepo[] = [];
afterAll(async () => {
  for (const repo of repos) await repo.cleanup();
});

const fixtures = path.join(REPO_ROOT, 'test', 'fixtures');
const scripted = (fixture: string, name: string) => `scripted:${path.join(fixtures, fixture, name)}`;
const reviewer = `scripted:${path.join(fixtures, 'greeter', 'reviewer.yaml')}`;

function must(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: cwd } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

function writeConfig(repo: string, config: Record<string, unknown>): void {
  writeFileSync(path.join(repo, 'baton.config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

interface LoggedEvent {
  type: string;
  context?: string;
  passed?: boolean;
  summary?: string;
}

async function run(repo: string, fixture: string, runId: string) {
  const result = await runBaton(['run', 'Do the ticket', '--repo', repo, '--yes', '--run-id', runId, '--planner', scripted(fixture, 'planner.yaml'), '--worker', scripted(fixture, 'worker.yaml'), '--reviewer', reviewer]);
  const log = (await runBaton(['log', runId, '--json', '--repo', repo])).stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as LoggedEvent);
  return { ...result, log, taskTests: log.filter((e) => e.type === 'test_result' && e.context === 'task') };
}

/** Warm worktrees after a run: each clean (nothing untracked or ignored), none left dirty. */
function expectWarmSlotsClean(repo: string): void {
  const base = path.join(repo, '.git', 'baton', 'warm');
  const names = readdirSync(base);
  expect(names.filter((name) => !/^\d+-warm$/.test(name)), 'dirty markers or trash').toEqual([]);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(gitSync(path.join(base, name), ['status', '--porcelain', '--ignored', '--untracked-files=all']), name).toBe('');
}

describe('what tests need in a task workspace', () => {
  // CI has them (scripts/system-deps.mjs installs python3-venv and python3-pytest): never skip there.
  it.runIf(process.env['CI'] === 'true')('has Python with venv and pytest, pnpm and the sandbox on CI', () => {
    expect({ hasPython, hasPnpm, sandboxed }).toEqual({ hasPython: true, hasPnpm: true, sandboxed: true });
  });

  describe.runIf(hasPython && sandboxed)('a Python repository with a virtualenv, pytest, a .env.test and generated code', () => {
    let repo: string;
    const config = { tests: { unit: '.venv/bin/python -m pytest -q -p no:cacheprovider' }, gateTest: 'unit', maxWorkers: 1, maxReworks: 0 };

    it('passes in the checkout', async () => {
      const made = await makeGitRepo({ source: path.join(fixtures, 'workspace-python', 'repo') });
      repos.push(made);
      repo = made.dir;
      // What a developer has and git does not: a virtualenv with a dependency, test settings, generated code.
      must(PYTHON, ['-m', 'venv', '--without-pip', '--system-site-packages', '.venv'], repo);
      const sitePackages = must(path.join(repo, '.venv', 'bin', 'python'), ['-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])"], repo);
      writeFileSync(path.join(sitePackages, 'slugkit.py'), 'def slugify(text):\n    return "-".join(text.lower().split())\n');
      writeFileSync(path.join(repo, '.env.test'), 'GREETING=hi\n');
      must(PYTHON, ['gen.py'], repo);
      expect(must(path.join(repo, '.venv', 'bin', 'python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], repo)).toMatch(/3 passed/);
    });

    it('fails in a bare task workspace: the tracked files alone cannot run the tests', async () => {
      writeConfig(repo, config);
      const result = await run(repo, 'workspace-python', 'bare');
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(3);
      expect(result.taskTests.map((e) => e.passed)).toEqual([false]);
      expect(result.taskTests[0]?.summary).toMatch(/could not start \.venv\/bin\/python/);
    }, 120_000);

    it('passes with the workspace settings, in warm worktrees, and leaves nothing behind', async () => {
      writeConfig(repo, { ...config, workspace: { link: ['.venv'], copy: ['.env.test'], setup: { command: `${PYTHON} gen.py` }, warm: true } });
      const before = await userStateFingerprint(repo);
      const result = await run(repo, 'workspace-python', 'settled');
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(`Task workspaces: links .venv (read-only, for tests); copies .env.test (never committed); setup "${PYTHON} gen.py" once per workspace, sandboxed`);
      expect(result.taskTests.map((e) => e.passed)).toEqual([true]);
      expect(result.taskTests[0]?.summary).toMatch(/4 passed/);
      expect(result.log.some((e) => e.type === 'test_result' && e.context === 'merge' && e.passed === true)).toBe(true);
      // baton regressions checks out the base and the branch with the same settings.
      const regressions = await runBaton(['regressions', 'settled', '--repo', repo]);
      expect(regressions.stdout, regressions.stderr).toContain('unit: base passed, branch passed');
      // The virtualenv, .env.test (not even ignored here) and generated code are the workspace's, never the task's.
      expect(gitSync(repo, ['diff', '--name-only', 'main', 'baton/settled']).split('\n')).toEqual(['app.py', 'test_app.py']);
      expect(await userStateFingerprint(repo)).toBe(before);
      expectWarmSlotsClean(repo);
    }, 120_000);
  });

  describe.runIf(hasPnpm && sandboxed)('a pnpm workspace with nested packages', () => {
    let repo: string;
    const config = { tests: { unit: 'node --test packages/a/test/a.test.mjs' }, gateTest: 'unit', maxWorkers: 1, maxReworks: 0 };

    it('passes in the checkout', async () => {
      const made = await makeGitRepo({ source: path.join(fixtures, 'workspace-pnpm', 'repo') });
      repos.push(made);
      repo = made.dir;
      // Only file: and workspace: dependencies: pnpm installs them without a registry.
      must(process.execPath, [PNPM, 'install', '--offline', '--store-dir', path.join(repo, '..', 'pnpm-store'), '--reporter=silent'], repo);
      expect(readdirSync(path.join(repo, 'packages', 'a', 'node_modules'))).toContain('leftpad');
      const tests = spawnSync(process.execPath, ['--test', 'packages/a/test/a.test.mjs'], { cwd: repo, encoding: 'utf8' });
      expect(tests.status, tests.stdout).toBe(0);
    });

    it('fails in a bare task workspace: the nested package finds neither its sibling nor its dependency', async () => {
      writeConfig(repo, config);
      const result = await run(repo, 'workspace-pnpm', 'bare');
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(3);
      expect(result.taskTests.map((e) => e.passed)).toEqual([false]);
      expect(result.taskTests[0]?.summary).toMatch(/Cannot find package '@mono\/b'/);
    }, 120_000);

    it('passes with node_modules linked, importing the workspace\'s own changed sibling, and leaves nothing behind', async () => {
      writeConfig(repo, { ...config, workspace: { link: ['node_modules', 'packages/*/node_modules'], warm: true } });
      const before = await userStateFingerprint(repo);
      const result = await run(repo, 'workspace-pnpm', 'settled');
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      // The test expects "entry": it passes only if @mono/b resolved to the task's changed copy, not the checkout's.
      expect(result.taskTests.map((e) => e.passed)).toEqual([true]);
      expect(gitSync(repo, ['diff', '--name-only', 'main', 'baton/settled']).split('\n')).toEqual(['packages/a/test/a.test.mjs', 'packages/b/index.js']);
      expect(await userStateFingerprint(repo)).toBe(before);
      expectWarmSlotsClean(repo);
      // baton workspaces lists them; --remove deletes them, and git keeps no entry of them.
      const listed = JSON.parse((await runBaton(['workspaces', '--repo', repo, '--json'])).stdout) as { slots: { inUse: boolean; dirty: boolean }[] };
      expect(listed.slots.length).toBeGreaterThan(0);
      expect(listed.slots.every((slot) => !slot.inUse && !slot.dirty)).toBe(true);
      const removed = await runBaton(['workspaces', '--repo', repo, '--remove']);
      expect(removed.stdout).toContain('no warm worktrees left');
      expect(gitSync(repo, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree '))).toEqual([`worktree ${repo}`]);
      expect(existsSync(path.join(repo, '.git', 'baton', 'warm'))).toBe(false);
    }, 120_000);
  });
});
