// baton replan through the real binary: after a task is blocked, the (scripted) planner is asked
// for a new plan; the finished task is kept exactly, the blocked one takes the new brief, and the
// new version waits for approval.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScript } from '@baton/worker-host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
let repo: TestGitRepo;
let dir: string;

type Turn = { tool_calls?: { name: string; arguments: { tasks: { id: string; brief: string }[] } }[] };

beforeAll(async () => {
  repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
  dir = await mkdtemp(path.join(tmpdir(), 'baton-replan-'));
  const worker = (await loadScript(path.join(fixture, 'worker.yaml'))) as { by_task: Record<string, unknown[]> };
  worker.by_task['docs'] = [{ text: 'I could not find where to document it.' }];
  await writeFile(path.join(dir, 'worker.json'), JSON.stringify(worker));
  // First answer changes every task (the finished one included: refused, with the reason);
  // the second changes only the blocked one.
  const planner = (await loadScript(path.join(fixture, 'planner.yaml'))) as { turns: Turn[] };
  const greedy = structuredClone(planner.turns[0]!);
  for (const task of greedy.tool_calls![0]!.arguments.tasks) task.brief = `REPLANNED: ${task.brief}`;
  const modest = structuredClone(planner.turns[0]!);
  for (const task of modest.tool_calls![0]!.arguments.tasks) if (task.id === 'docs') task.brief = `REPLANNED: ${task.brief}`;
  await writeFile(path.join(dir, 'replanner.json'), JSON.stringify({ label: 'replanner', turns: [greedy, modest] }));
});
afterAll(async () => {
  await repo.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('baton replan', () => {
  it('changes only the tasks that are not finished and waits for approval', async () => {
    const run = await runBaton(['run', 'Add a farewell function', '--repo', repo.dir, '--yes', '--run-id', 'rp', '--planner', `scripted:${path.join(fixture, 'planner.yaml')}`, '--worker', `scripted:${path.join(dir, 'worker.json')}`, '--reviewer', `scripted:${path.join(fixture, 'reviewer.yaml')}`]);
    expect(run.code, run.stdout).toBe(3);
    const replan = await runBaton(['replan', 'rp', '--reason', 'the docs task needs a clearer brief', '--repo', repo.dir, '--planner', `scripted:${path.join(dir, 'replanner.json')}`]);
    expect(replan.code, `${replan.stdout}\n${replan.stderr}`).toBe(3);
    expect(replan.stdout).toContain('stored re-plan v2');
    const log = (await runBaton(['log', 'rp', '--json', '--repo', repo.dir])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; version?: number; problems?: string[]; plan?: { tasks: { id: string; brief: string; status: string }[] } });
    expect(log.find((e) => e.type === 'plan_invalid')?.problems?.join(' ')).toContain('only pending, failed or blocked tasks may change');
    const v2 = log.find((e) => e.type === 'plan_proposed' && e.version === 2)!.plan!;
    const byId = Object.fromEntries(v2.tasks.map((t) => [t.id, t]));
    expect(byId['farewell']!.brief.startsWith('REPLANNED')).toBe(false);
    expect(byId['docs']!.brief.startsWith('REPLANNED')).toBe(true);
    expect(JSON.parse((await runBaton(['status', 'rp', '--json', '--repo', repo.dir])).stdout)).toMatchObject({ planVersion: 2 });
  });
});
