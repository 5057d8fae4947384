// A planning stage that fails ends the run as failed, and the advice it gives works: after
// refused plans, `baton plan edit` starts from the planner's last attempt and the fixed plan is
// approved and run; after a provider error, `baton resume` plans again and (as `--yes` asked)
// runs the plan.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeProvider, type FakeProvider } from '@baton/worker-host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitSync, makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
const workers = ['--worker', `scripted:${path.join(fixture, 'worker.yaml')}`, '--reviewer', `scripted:${path.join(fixture, 'reviewer.yaml')}`];
const repos: TestGitRepo[] = [];
let scratch: string;
let fake: FakeProvider;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'baton-planning-failure-'));
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
  for (const repo of repos) await repo.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

async function status(repo: string, run: string): Promise<{ phase: string; outcome?: string; planVersion: number }> {
  return JSON.parse((await runBaton(['status', run, '--json', '--repo', repo])).stdout) as { phase: string; outcome?: string; planVersion: number };
}

describe('a planning stage that fails', () => {
  it('ends the run as failed after refused plans; plan edit starts from the last attempt, then approve and resume run it', async () => {
    const repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
    repos.push(repo);
    const run = await runBaton(['run', 'Add a farewell function and document it', '--repo', repo.dir, '--yes', '--run-id', 'refused', '--planner', `scripted:${path.join(fixture, 'planner-refused.yaml')}`, ...workers]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('planning failed: the planner produced no valid plan after 3 attempt(s)');
    expect(run.stdout).toContain('baton plan edit refused');
    expect(await status(repo.dir, 'refused')).toMatchObject({ phase: 'finished', outcome: 'failed', planVersion: 0 });

    const approve = await runBaton(['approve', 'refused', '--repo', repo.dir]);
    expect(approve.code).toBe(2);
    expect(approve.stderr).toContain('its planning failed');

    const draft = await runBaton(['plan', 'edit', 'refused', '--print', '--repo', repo.dir]);
    expect(draft.code, draft.stderr).toBe(0);
    expect(draft.stdout).toContain("planner's last attempt");
    expect(draft.stdout).toContain('farewel');
    const file = path.join(scratch, 'fixed.yaml');
    await writeFile(file, draft.stdout.replace('- farewel\n', '- farewell\n'));
    const edited = await runBaton(['plan', 'edit', 'refused', '--file', file, '--repo', repo.dir]);
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toContain('stored plan v1');
    expect(await status(repo.dir, 'refused')).toMatchObject({ phase: 'awaiting_approval', planVersion: 1 });
    expect((await runBaton(['approve', 'refused', '--repo', repo.dir])).code).toBe(0);
    // The planner is not asked again (the run has a plan); it is named because the reviewer defaults to it.
    const resumed = await runBaton(['resume', 'refused', '--repo', repo.dir, '--planner', `scripted:${path.join(fixture, 'planner.yaml')}`, ...workers]);
    expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    expect(gitSync(repo.dir, ['log', '--format=%s', 'main..baton/refused']).split('\n')).toEqual(['Document farewell() [docs]', 'Add farewell() [farewell]']);
  });

  it('ends the run as failed on a provider error; resume plans again and runs the plan --yes approved', async () => {
    const repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
    repos.push(repo);
    fake.push({ fail: { status: 400, message: 'prompt is too long' } });
    const run = await runBaton(['run', 'Add a farewell function and document it', '--repo', repo.dir, '--yes', '--run-id', 'provider', '--planner', 'anthropic:claude-opus-4-6', ...workers], { env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('planning failed');
    expect(run.stdout).toContain('prompt is too long');
    expect(run.stdout).toContain('baton resume provider');
    expect(await status(repo.dir, 'provider')).toMatchObject({ phase: 'finished', outcome: 'failed' });

    const resumed = await runBaton(['resume', 'provider', '--repo', repo.dir, '--planner', `scripted:${path.join(fixture, 'planner.yaml')}`, ...workers]);
    expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    expect(resumed.stdout).toContain('planned again');
    expect(await status(repo.dir, 'provider')).toMatchObject({ phase: 'finished', outcome: 'succeeded' });
    expect(await readFile(path.join(repo.dir, 'README.md'), 'utf8')).not.toContain('farewell');
  });
});
