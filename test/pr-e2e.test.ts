// From run to pull request through the real binary: a scripted run with --pr and
// --human-estimate pushes baton/<run> over git's smart HTTP (the real git http-backend) to a
// local stand-in for GitHub Enterprise that checks every API request against GitHub's OpenAPI
// description, opens a draft pull request with a body from the store, and a later baton pr
// updates it. The token must not reach argv, output or the store.
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '@baton/orchestrator/testing';
import { gitSync, makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const TOKEN = 'ghp_e2eToken0123456789abcdefghijklmnopq';
const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
const scripted = (name: string) => `scripted:${path.join(fixture, name)}`;
let repo: TestGitRepo;
let fake: FakeGitHub;
let bare: string;

beforeAll(async () => {
  repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
  const root = path.join(repo.dir, '..', 'github');
  bare = path.join(root, 'octo', 'greeter.git');
  await mkdir(path.dirname(bare), { recursive: true });
  gitSync(root, ['init', '-q', '--bare', bare]);
  const branchExists = (branch: string) => spawnSync('git', ['--git-dir', bare, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).status === 0;
  fake = await startFakeGitHub({ token: TOKEN, prefix: '/api/v3', repos: [{ owner: 'octo', name: 'greeter', branchExists }], gitRoot: root });
  gitSync(repo.dir, ['remote', 'add', 'origin', `${fake.webUrl}/octo/greeter.git`]);
  // The base branch is on GitHub already. (Asynchronously: the fake answers from this process.)
  const header = `Authorization: Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`;
  const code = await new Promise<number | null>((resolve) => spawn('git', ['push', '-q', 'origin', 'main'], { cwd: repo.dir, stdio: 'ignore', env: { PATH: process.env.PATH ?? '', HOME: repo.dir, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: header } }).on('close', resolve));
  expect(code).toBe(0);
});
afterAll(async () => {
  await fake.close();
  await repo.cleanup();
});

const env = () => ({ GITHUB_TOKEN: TOKEN });

describe('baton run --pr', () => {
  it('runs the ticket, pushes the branch and opens a draft pull request described from the store', async () => {
    const result = await runBaton(
      ['run', 'Add a farewell function and document it', '--repo', repo.dir, '--yes', '--run-id', 'pr1', '--human-estimate', '2h', '--pr', '--pr-api-url', fake.apiUrl, '--planner', scripted('planner.yaml'), '--worker', scripted('worker.yaml'), '--reviewer', scripted('reviewer.yaml')],
      { env: env() },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('succeeded: 2/2 tasks done');
    expect(result.stdout).toContain('opened draft pull request #1: https://github.com/octo/greeter/pull/1');
    expect(fake.violations).toEqual([]);
    expect(fake.requests.map((r) => `${r.method} ${r.operationId} ${r.status}`)).toEqual(['GET repos/get 200', 'GET pulls/list 200', 'POST pulls/create 201']);

    const pull = fake.pull(1);
    expect(pull).toMatchObject({ head: 'baton/pr1', base: 'main', draft: true, title: 'Add a farewell function and document it' });
    expect(pull.body).toContain('This run used **scripted** models');
    expect(pull.body).toMatch(/\| `farewell` Add farewell\\\(\\\) \| done \| 1 \| ✓ `unit`<br>after merge: ✓ `unit` \| attempt 1 accept/);
    expect(pull.body).toMatch(/\| `docs` Document farewell\\\(\\\) \| done \|/);
    expect(pull.body).toContain('- human-only estimate: 2h');
    // The pushed branch is the run branch, commits and trailers included.
    const local = gitSync(repo.dir, ['rev-parse', 'baton/pr1']);
    expect(gitSync(bare, ['rev-parse', 'refs/heads/baton/pr1'])).toBe(local);
    expect(gitSync(bare, ['log', '--format=%(trailers:key=Baton-Task,valueonly)', 'main..baton/pr1']).split('\n').filter(Boolean)).toEqual(['docs', 'farewell']);
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });

  it('updates the same pull request on a later baton pr, and records both', async () => {
    const again = await runBaton(['pr', 'pr1', '--repo', repo.dir, '--api-url', fake.apiUrl, '--json'], { env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ run: 'pr1', repo: 'octo/greeter', action: 'updated', number: 1, draft: true });
    expect(fake.pulls).toHaveLength(1);
    expect(fake.violations).toEqual([]);
    const log = (await runBaton(['log', 'pr1', '--json', '--repo', repo.dir])).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.filter((e) => e['type'] === 'pull_request').map((e) => [e['action'], e['number'], e['repo']])).toEqual([['opened', 1, 'octo/greeter'], ['updated', 1, 'octo/greeter']]);
    expect(log.find((e) => e['type'] === 'human_estimate')).toMatchObject({ seconds: 7200 });
  });

  it('brings in review figures, regressions by test and a later revert, and reports them against the estimate', async () => {
    const pull = fake.pull(1);
    const head = gitSync(repo.dir, ['rev-parse', 'baton/pr1']);
    pull.reviews.push({ id: 1, state: 'CHANGES_REQUESTED', user: 'alice', commit: head, submittedAt: '2026-11-20T10:00:00Z' }, { id: 2, state: 'APPROVED', user: 'alice', commit: 'e'.repeat(40), submittedAt: '2026-11-21T10:00:00Z' });
    pull.diffComments.push({ user: 'alice' }, { user: 'bob' }, { user: 'lint[bot]', bot: true });
    pull.conversationComments.push({ user: 'carol' });
    // The pull request is merged on GitHub (fast-forward), then someone reverts the farewell commit there.
    gitSync(bare, ['update-ref', 'refs/heads/main', head]);
    pull.state = 'closed';
    pull.mergedAt = '2026-11-21T11:00:00Z';
    pull.mergeCommit = head;
    const farewell = gitSync(repo.dir, ['log', '--format=%H', '--grep=Baton-Task: farewell', 'baton/pr1']);
    const scratch = path.join(repo.dir, '..', 'someone-else');
    gitSync(repo.dir, ['worktree', 'add', '-q', '--detach', scratch, head]);
    gitSync(scratch, ['revert', '--no-edit', farewell]);
    gitSync(scratch, ['push', '-q', bare, 'HEAD:refs/heads/main']);

    const sync = await runBaton(['sync', 'pr1', '--fetch', '--json', '--repo', repo.dir], { env: env() });
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout)).toEqual([{ runId: 'pr1', review: { number: 1, state: 'merged', reviewComments: 3, reviewRounds: 2, changed: true }, scanned: 'origin/main', newFindings: 1, problems: [] }]);
    const again = JSON.parse((await runBaton(['sync', 'pr1', '--fetch', '--json', '--repo', repo.dir], { env: env() })).stdout) as { review: { changed: boolean }; newFindings: number }[];
    expect(again[0]).toMatchObject({ review: { changed: false }, newFindings: 0 });
    expect(fake.violations).toEqual([]);

    const regressions = await runBaton(['regressions', 'pr1', '--repo', repo.dir, '--json']);
    expect(regressions.code, regressions.stderr).toBe(0);
    expect(JSON.parse(regressions.stdout)).toMatchObject({ suites: [{ suite: 'unit', base: 'passed', run: 'passed' }], regressions: [] });

    const report = JSON.parse((await runBaton(['report', '--run', 'pr1', '--json', '--repo', repo.dir])).stdout) as { runs: { wallSeconds: number; pilot: Record<string, unknown> }[] };
    const run = report.runs[0]!;
    expect(run.pilot).toMatchObject({ humanEstimateSeconds: 7200, pullRequest: { number: 1, state: 'merged' }, reviewComments: 3, reviewRounds: 2, regressions: { tests: 0, reverts: 1, fixups: 0, total: 1 } });
    expect(run.pilot['timeVsEstimate']).toBeCloseTo(run.wallSeconds / 7200, 6);
    const table = (await runBaton(['report', '--run', 'pr1', '--repo', repo.dir])).stdout;
    expect(table).toMatch(/^pr1 .*\s2h\s+\S+x\s+#1 merged\s+3c\/2r\s+1$/m);
  });

  it('keeps the token out of the store', async () => {
    const dir = path.join(repo.dir, '.git', 'baton');
    for (const name of await readdir(dir)) {
      if (!name.startsWith('state.db')) continue;
      expect((await readFile(path.join(dir, name))).includes(TOKEN), name).toBe(false);
    }
  });

  it('says what is wrong when the repository is missing or the token is absent', async () => {
    const missing = await runBaton(['pr', 'pr1', '--repo', repo.dir, '--api-url', fake.apiUrl, '--github-repo', 'octo/nope'], { env: env() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('GitHub has no repository octo/nope, or the token cannot see it');
    const noToken = await runBaton(['pr', 'pr1', '--repo', repo.dir, '--api-url', fake.apiUrl], { env: { PATH: path.join(repo.dir, 'no-gh-here') + path.delimiter + '/usr/bin:/bin' } });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/no GitHub token: GITHUB_TOKEN is not set/);
  });
});
