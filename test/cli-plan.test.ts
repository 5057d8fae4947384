// baton plan and baton plan edit through the real binary: a plan that waits for approval, an
// edit round trip through $EDITOR (a script standing in for a person), an invalid edit
// rejected with its line, and a valid edit stored as a new version to approve.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
let repo: TestGitRepo;
let tools: string;
const scripted = ['--planner', `scripted:${path.join(fixture, 'planner.yaml')}`, '--worker', `scripted:${path.join(fixture, 'worker.yaml')}`, '--reviewer', `scripted:${path.join(fixture, 'reviewer.yaml')}`];

/** An "editor": a node script that rewrites the file given to it with a replace. */
async function editor(name: string, from: string, to: string): Promise<string> {
  const file = path.join(tools, `${name}.mjs`);
  await writeFile(file, `import { readFileSync, writeFileSync } from 'node:fs';\nconst f = process.argv[2];\nwriteFileSync(f, readFileSync(f, 'utf8').replace(${JSON.stringify(from)}, ${JSON.stringify(to)}));\n`);
  return `${process.execPath} ${file}`;
}

beforeAll(async () => {
  repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
  tools = await mkdtemp(path.join(tmpdir(), 'baton-editor-'));
});
afterAll(async () => {
  await repo.cleanup();
  await rm(tools, { recursive: true, force: true });
});

describe('baton plan', () => {
  it('plans without executing and waits for approval', async () => {
    const result = await runBaton(['plan', 'Add a farewell function', '--repo', repo.dir, '--run-id', 'p1', ...scripted]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toContain('waits for approval');
    const status = JSON.parse((await runBaton(['status', 'p1', '--json', '--repo', repo.dir])).stdout) as { phase: string; planVersion: number };
    expect(status).toMatchObject({ phase: 'awaiting_approval', planVersion: 1 });
  });

  it('rejects an invalid edit with the line, and stores nothing', async () => {
    const result = await runBaton(['plan', 'edit', 'p1', '--repo', repo.dir], { env: { EDITOR: await editor('bad', 'depends_on:\n      - farewell', 'depends_on:\n      - nowhere') } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/-plan\.yaml:\d+:\d+: tasks\[1\]\.depends_on\[0\]/);
    expect(result.stderr).toContain('nowhere');
    const status = JSON.parse((await runBaton(['status', 'p1', '--json', '--repo', repo.dir])).stdout) as { planVersion: number };
    expect(status.planVersion).toBe(1);
  });

  it('stores a valid edit as a new version, then approve and resume run it', async () => {
    const printed = await runBaton(['plan', 'edit', 'p1', '--print', '--repo', repo.dir]);
    expect(printed.stdout).toContain('id: docs');
    const edited = await runBaton(['plan', 'edit', 'p1', '--repo', repo.dir], { env: { EDITOR: await editor('good', 'title: Document farewell()', 'title: Document farewell() in the README') } });
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toContain('stored plan v2');
    const log = (await runBaton(['log', 'p1', '--json', '--repo', repo.dir])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; version?: number });
    expect(log.filter((e) => e.type === 'plan_edited').map((e) => e.version)).toEqual([2]);
    expect((await runBaton(['approve', 'p1', '--repo', repo.dir])).code).toBe(0);
    const resumed = await runBaton(['resume', 'p1', '--repo', repo.dir, ...scripted]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('succeeded: 2/2 tasks done');
  });
});
