// Against a real repository: a run's commits land on main, then people revert one, fix up
// another three ways, and make unrelated commits that must not count.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRevertsAndFixups } from './find-reverts.ts';

let dir: string;
const g = (args: string[]) => {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};
const commit = async (file: string, message: string) => {
  await writeFile(path.join(dir, file), `${message}\n`);
  g(['add', file]);
  g(['commit', '-q', '-m', message]);
  return g(['rev-parse', 'HEAD']);
};
const shas: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-reverts-'));
  g(['init', '-q', '-b', 'main']);
  await commit('base.txt', 'initial');
  shas['a'] = await commit('a.txt', 'Add farewell() [farewell]\n\nBaton-Run: r1\nBaton-Task: farewell');
  shas['b'] = await commit('b.txt', 'Document farewell() [docs]\n\nBaton-Run: r1\nBaton-Task: docs');
  shas['other'] = await commit('c.txt', 'Other run\n\nBaton-Run: r2\nBaton-Task: x');
  await commit('d.txt', 'Unrelated work that mentions farewell');
  g(['revert', '--no-edit', shas['a']!]);
  shas['revert'] = g(['rev-parse', 'HEAD']);
  shas['fixup'] = await commit('b.txt', 'fixup! Document farewell() [docs]');
  shas['fixes'] = await commit('b2.txt', `Correct the docs\n\nFixes: ${shas['b']!.slice(0, 12)} ("Document farewell()")`);
  shas['manual'] = await commit('b3.txt', 'Handle empty names\n\nBaton-Fixes: r1');
  await commit('e.txt', `Fix the other run\n\nFixes: ${shas['other']!.slice(0, 12)}`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('findRevertsAndFixups', () => {
  it('finds the revert and each kind of fix-up of the run, oldest first, and nothing else', async () => {
    const found = await findRevertsAndFixups({ repo: dir, runId: 'r1', ref: 'main' });
    expect(found.map((f) => [f.kind, f.commit, f.targets])).toEqual([
      ['revert', shas['revert'], [shas['a']]],
      ['fixup', shas['fixup'], [shas['b']]],
      ['fixup', shas['fixes'], [shas['b']]],
      ['fixup', shas['manual'], ['r1']],
    ]);
    expect(found[0]!.subject).toBe('Revert "Add farewell() [farewell]"');
  });

  it('recognises commits named only by the caller (a merge commit without trailers)', async () => {
    const plain = await commit('f.txt', 'Squashed PR without trailers');
    g(['revert', '--no-edit', plain]);
    const revert = g(['rev-parse', 'HEAD']);
    const found = await findRevertsAndFixups({ repo: dir, runId: 'r1', ref: 'main', knownCommits: [plain] });
    expect(found.at(-1)).toMatchObject({ kind: 'revert', commit: revert, targets: [plain] });
    expect((await findRevertsAndFixups({ repo: dir, runId: 'r1', ref: 'main' })).some((f) => f.commit === revert)).toBe(false);
  });
});
