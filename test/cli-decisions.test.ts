// `baton decisions` through the real binary: the planner's decisions shown with the plan and
// listed, a person's add / edit / remove (also while another process holds the run), --json,
// hidden characters shown as markers, and every refusal (too long, several lines, unknown id,
// the log full) as exit 2 with a message that says what to do.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepoStore } from '@baton/orchestrator';
import { makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
const scripted = (planner: string) => ['--planner', `scripted:${path.join(fixture, planner)}`, '--worker', `scripted:${path.join(fixture, 'worker.yaml')}`, '--reviewer', `scripted:${path.join(fixture, 'reviewer.yaml')}`];
const PLANNER_DECISION = 'farewell(name) lives in src/greet.js beside greet(name), exported the same way';
let repo: TestGitRepo;

interface DecisionsJson {
  run: string;
  maxEntries: number;
  maxChars: number;
  entries: { label: string; id: number; text: string; source: string; by: string; planVersion?: number; edited?: { by: string } }[];
  refused: unknown[];
  changed?: { action: string; label: string };
}

// --repo first: after `--` everything is text.
const decisions = async (...args: string[]) => runBaton(['decisions', 'd1', '--repo', repo.dir, ...args]);
const listed = async (): Promise<DecisionsJson> => JSON.parse((await decisions('--json')).stdout) as DecisionsJson;

beforeAll(async () => {
  repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
  const planned = await runBaton(['plan', 'Add a farewell function', '--repo', repo.dir, '--run-id', 'd1', ...scripted('planner.yaml')]);
  expect(planned.code, planned.stderr).toBe(3);
  // The plan shown for approval lists the decisions every task will follow.
  expect(planned.stdout).toContain(`Decisions every task will follow:\n  D1 ${PLANNER_DECISION}`);
});
afterAll(() => repo.cleanup());

describe('baton decisions', () => {
  it("lists the planner's decisions, as text and as JSON", async () => {
    const text = await decisions();
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`decisions of run d1 (1 of at most 20; every later brief carries them):\n  D1  ${PLANNER_DECISION}  (planner scripted:planner.yaml, plan v1)\n`);
    expect(await listed()).toMatchObject({ run: 'd1', maxEntries: 20, maxChars: 300, entries: [{ label: 'D1', id: 1, text: PLANNER_DECISION, source: 'planner', by: 'scripted:planner.yaml', planVersion: 1 }], refused: [] });
  });

  it('adds, edits and removes, while another process holds the run', async () => {
    const store = await openRepoStore({ repoRoot: repo.dir });
    const writer = await store.openWriter('d1');
    try {
      const added = await decisions('add', 'Keep', 'the', 'README', 'in', 'British', 'English', '--by', 'ann');
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toBe('logged D2 in run d1: Keep the README in British English\nthe live run passes the log on from its next brief\n');
      const edited = await runBaton(['decisions', 'd1', 'edit', 'd2', 'Keep the README in plain English', '--by', 'bob', '--json', '--repo', repo.dir]);
      expect(edited.code, edited.stderr).toBe(0);
      expect((JSON.parse(edited.stdout) as DecisionsJson).changed).toEqual({ action: 'edit', label: 'D2' });
      const removed = await decisions('remove', 'D1', '--reason', 'the planner was wrong', '--by', 'bob');
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toContain('removed D1 in run d1');
    } finally {
      await writer.release();
      await store.close();
    }
    const now = await listed();
    expect(now.entries.map((e) => [e.label, e.text, e.source, e.by, e.edited?.by])).toEqual([['D2', 'Keep the README in plain English', 'human', 'ann', 'bob']]);
    const log = (await runBaton(['log', 'd1', '--repo', repo.dir])).stdout;
    expect(log).toMatch(/decision_removed D1 by bob: the planner was wrong/);
    expect(log).toMatch(/decision_edited D2 by bob: Keep the README in plain English/);
  });

  it('takes text that starts with a dash after --, and shows hidden characters as markers', async () => {
    expect((await decisions('add', '--', '-v means verbose everywhere')).code).toBe(0);
    expect((await decisions('add', 'name: report\u202Efdp.exe')).code).toBe(0);
    const text = (await decisions()).stdout;
    expect(text).toContain('-v means verbose everywhere');
    expect(text).toContain('name: report<U+202E>fdp.exe');
    expect(text).not.toContain('\u202E');
    const json = (await decisions('--json')).stdout;
    expect(json).toContain('report\\u202efdp.exe');
    expect((JSON.parse(json) as DecisionsJson).entries.at(-1)!.text).toBe('name: report\u202Efdp.exe');
  });

  it('refuses with exit 2 and says why: too long, several lines, unknown or malformed ids, missing text, unknown actions', async () => {
    const cases: [string[], string][] = [
      [['add', 'x'.repeat(301)], 'baton: a decision is at most 300 characters (this one has 301); say it shorter, or split it in two\n'],
      [['add', 'first line\nsecond line'], 'baton: a decision is one line of text: no line breaks, tabs or other control characters\n'],
      [['edit', 'D9', 'new'], 'baton: run d1 has no decision D9; its decisions are D2, D3, D4\n'],
      [['remove', 'nine'], 'baton: "nine" is not a decision id; ids look like D3 (see baton decisions <run>)\n'],
      [['edit', 'D2'], 'baton: give the new text: baton decisions <run> edit D2 "<new text>"\n'],
    ];
    for (const [args, message] of cases) {
      const result = await decisions(...args);
      expect([result.code, result.stderr], args.join(' ')).toEqual([2, message]);
    }
    const unknownAction = await decisions('rename', 'D2');
    expect(unknownAction.code).toBe(2);
    expect(unknownAction.stderr).toContain('Allowed choices are add, edit, remove');
    expect((await listed()).entries).toHaveLength(3);
  });

  it('refuses an entry past the cap, saying how to make room', async () => {
    const store = await openRepoStore({ repoRoot: repo.dir });
    try {
      const writer = await store.openWriter('d1');
      await writer.appendMany(Array.from({ length: 17 }, (_, i) => ({ type: 'decision_logged' as const, text: `filler ${i + 1}`, source: 'human' as const, by: 'test' })));
      await writer.release();
    } finally {
      await store.close();
    }
    const full = await decisions('add', 'one too many');
    expect(full.code).toBe(2);
    expect(full.stderr).toBe('baton: the decisions log of run d1 holds 20 entries, its maximum: remove one that no longer matters (baton decisions d1 remove <id>) or fold two into one (edit) first\n');
    expect((await listed()).entries).toHaveLength(20);
    expect((await decisions('remove', 'D5')).code).toBe(0);
    expect((await decisions('add', 'now it fits')).code).toBe(0);
  });

  it('says when a run has no decisions, and names the run it cannot find', async () => {
    await runBaton(['plan', 'Another ticket', '--repo', repo.dir, '--run-id', 'd2', ...scripted('planner-refused.yaml')]);
    const none = await runBaton(['decisions', 'd2', '--repo', repo.dir]);
    expect(none.stdout).toBe('run d2 has no decisions yet; log one with baton decisions d2 add "<text>"\n');
    const missing = await runBaton(['decisions', 'nope', '--repo', repo.dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^baton: no run nope in this store \(\S+state\.db\); see baton status for the runs\n$/);
  });
});
