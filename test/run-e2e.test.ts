// baton run end to end through the real binary: scripted planner, workers and reviewer (not
// live models) against a temp git repository, through the real HTTP tool hosts, grants,
// apply_diff, sandboxed run_tests, review, merge and store. The user's checkout must be
// byte-identical afterwards and the run branch must pass the repository's tests.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitSync, makeGitRepo, userStateFingerprint, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
const scripted = (name: string) => `scripted:${path.join(fixture, name)}`;
let repo: TestGitRepo;

beforeAll(async () => {
  repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
});
afterAll(() => repo.cleanup());

describe('baton run', () => {
  it('plans, runs two dependent tasks in their own workspaces, and leaves a tested run branch', async () => {
    const before = await userStateFingerprint(repo.dir);
    const result = await runBaton(['run', 'Add a farewell function and document it', '--repo', repo.dir, '--yes', '--run-id', 'e2e', '--planner', scripted('planner.yaml'), '--worker', scripted('worker.yaml'), '--reviewer', scripted('reviewer.yaml')]);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('SCRIPTED');
    expect(result.stdout).toContain('succeeded: 2/2 tasks done');
    expect(await userStateFingerprint(repo.dir)).toBe(before);

    expect(gitSync(repo.dir, ['log', '--format=%s', 'main..baton/e2e']).split('\n')).toEqual(['Document farewell() [docs]', 'Add farewell() [farewell]']);
    const checkout = path.join(repo.dir, '..', 'verify');
    gitSync(repo.dir, ['worktree', 'add', '-q', checkout, 'baton/e2e']);
    const tests = spawnSync(process.execPath, ['--test'], { cwd: checkout, encoding: 'utf8' });
    expect(tests.status, tests.stdout).toBe(0);
    expect(tests.stdout).toMatch(/(#|ℹ) pass 2/);

    const status = JSON.parse((await runBaton(['status', 'e2e', '--json', '--repo', repo.dir])).stdout) as { tasks: { id: string; status: string }[] };
    expect(status.tasks.map((t) => [t.id, t.status])).toEqual([['farewell', 'done'], ['docs', 'done']]);
    const log = (await runBaton(['log', 'e2e', '--json', '--repo', repo.dir])).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.filter((e) => e['type'] === 'file_written').map((e) => e['path']).sort()).toEqual(['README.md', 'src/greet.js', 'test/greet.test.js']);
    expect(log.some((e) => e['type'] === 'test_result' && e['context'] === 'merge' && e['passed'] === true)).toBe(true);
    expect(log.some((e) => e['type'] === 'task_event' && e['kind'] === 'tool_call' && e['name'] === 'run_tests')).toBe(true);
  });
});
