import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../git/run-git.ts';
import { headerPathPairs, readPathField, readQuotedPath } from './git-quoted-path.ts';
import { commitHostileChange, type HostileCommit } from './hostile-run-fixture.ts';

let change: HostileCommit;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'baton-quoted-'));
  change = await commitHostileChange(tmp);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('reading git-quoted paths', () => {
  it.each([['core.quotePath=true'], ['core.quotePath=false']])('reads every name git ls-tree quotes (%s) as the name git lists with -z', async (setting) => {
    const quoted = (await git(['-c', setting, 'ls-tree', '-r', '--name-only', change.commit], { cwd: change.repo })).stdout.split('\n').filter(Boolean);
    const raw = (await git(['-c', setting, 'ls-tree', '-r', '--name-only', '-z', change.commit], { cwd: change.repo })).stdout.split('\0').filter(Boolean);
    expect(quoted.filter((q) => q.startsWith('"')).length).toBeGreaterThanOrEqual(setting.endsWith('true') ? 8 : 5);
    expect(quoted.map(readPathField)).toEqual(raw);
  });

  it('refuses what is not a complete quoted string', () => {
    expect(readQuotedPath('"abc')).toBeUndefined();
    expect(readQuotedPath('"a\\q"')).toBeUndefined();
    expect(readQuotedPath('"a\\')).toBeUndefined();
    expect(readPathField('"abc" x')).toBeUndefined();
    expect(readQuotedPath('"a\\"b" rest')).toEqual({ value: 'a"b', rest: ' rest' });
  });

  it('offers every reading of an unquoted header and the only reading of a quoted one', () => {
    expect(headerPathPairs('a/x y b/x y')).toEqual([
      ['a/x', 'y b/x y'],
      ['a/x y', 'b/x y'],
      ['a/x y b/x', 'y'],
    ]);
    expect(headerPathPairs('"a/q\\"" "b/q\\""')).toEqual([['a/q"', 'b/q"']]);
    expect(headerPathPairs('a/plain "b/t\\tab"')).toContainEqual(['a/plain', 'b/t\tab']);
    expect(headerPathPairs('"a/broken')).toEqual([]);
  });
});
